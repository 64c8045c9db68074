package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.kafka.ConsumersHealthCheck;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestInfrastructure;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inventory's database refuses connections while an order is submitted: the allocation consumer waits and
 * retries (readiness DOWN, naming the channel), and once the database is back the order is allocated exactly once and
 * nothing went to the dead-letter topic.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class DatabaseOutageTest {

    private static final Logger LOG = Logger.getLogger(DatabaseOutageTest.class);
    /** How long the database refuses connections; {@code -Dhemolink.test.outage-seconds=90} shows a long outage. */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("hemolink.test.outage-seconds", 12));

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager em;

    @Test
    void anOrderSubmittedDuringADatabaseOutageIsAllocatedOnceAfterItAndNeverDeadLettered() throws Exception {
        String din = newDin();
        release(unitJson(din, "PLT_AP", "B", "NEG", 1,
                Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())).statusCode(201);
        Instant now = Instant.now();
        OrderSubmitted order = new OrderSubmitted("ORD-" + UUID.randomUUID(), "H001", Priority.EMERGENCY, null,
                now.plus(Duration.ofHours(1)), false, List.of(new OrderLine(1, Component.PLT_AP, Abo.B, RhD.NEG, 1, false,
                false, false, List.of())), now, "hospital-a");

        Instant down = Instant.now();
        refuseConnections(true);
        Instant up;
        try {
            KafkaProbe.send(Topics.ORDERS, order.orderId(), mapper.writeValueAsString(order), CloudEventHeaders.ID,
                    UUID.randomUUID().toString(), CloudEventHeaders.TYPE, Events.ORDER_SUBMITTED.ceType(),
                    CloudEventHeaders.SPEC_VERSION, "1.0");
            String stall = awaitStall(Duration.ofSeconds(30));
            assertTrue(stall.contains("failed attempt"), "the check names the last error: " + stall);
            String lane = awaitLaneStall(Duration.ofSeconds(30));
            assertTrue(lane.contains("failed attempt"), "the lanes' check names the last error: " + lane);
            long left = OUTAGE.toMillis() - Duration.between(down, Instant.now()).toMillis();
            Thread.sleep(Math.max(0, left));
            assertEquals(0, KafkaProbe.read(Topics.ALLOCATIONS, r -> order.orderId().equals(r.key()), 1,
                    Duration.ofMillis(500)).size(), "nothing is allocated while the database is away");
        } finally {
            refuseConnections(false);
            up = Instant.now();
        }

        List<ConsumerRecord<String, String>> allocations = KafkaProbe.read(Topics.ALLOCATIONS,
                r -> order.orderId().equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, allocations.size(), "the order is allocated after the outage");
        Instant allocated = Instant.ofEpochMilli(allocations.get(0).timestamp());
        LOG.infof("database outage of %d ms; order allocated %d ms after the database was back",
                Duration.between(down, up).toMillis(), Duration.between(up, allocated).toMillis());
        AllocationMade made = mapper.readValue(allocations.get(0).value(), AllocationMade.class);
        assertEquals("ALLOCATED", made.status().name());
        String bag = made.lines().get(0).units().get(0).din();

        // exactly once: one allocation event, one open line, the bag reserved for this order; nothing dead-lettered
        assertEquals(1, KafkaProbe.read(Topics.ALLOCATIONS, r -> order.orderId().equals(r.key()), 2,
                Duration.ofSeconds(5)).size(), "one allocation, however often the event was attempted");
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from demand_line where order_id = ?1").setParameter(1, order.orderId())
                .getSingleResult()).longValue()));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + bag + "/PLT_AP").then()
                .body("status", equalTo("RESERVED")).body("orderId", equalTo(order.orderId()));
        assertEquals(0, KafkaProbe.read(Topics.deadLetter(Topics.ORDERS), r -> order.orderId().equals(r.key()), 1,
                Duration.ofSeconds(3)).size(), "nothing went to the dead-letter topic");
        awaitReady(Duration.ofSeconds(30));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("hemolink_consumer_retries_total{channel=\"orders\""));
    }

    /** The service's database refuses new connections and loses the ones it has (or takes them back). */
    private static void refuseConnections(boolean refuse) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestInfrastructure.jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("alter database inventory with allow_connections " + !refuse);
            if (refuse) {
                s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'inventory'");
            }
        }
    }

    /** The allocation lanes fail too while the database is away: readiness names a lane (ADR 0025). */
    private static String awaitLaneStall(Duration timeout) throws InterruptedException {
        String check = io.hemolink.inventory.domain.AllocationLanesHealth.NAME;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath health = JsonPath.from(given().get("/q/health/ready").then().extract().asString());
            String status = health.getString("checks.find { it.name == '" + check + "' }.status");
            String lane = health.getString("checks.find { it.name == '" + check + "' }.data.PRIORITY");
            if ("DOWN".equals(status) && lane != null) {
                return lane;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness never named the priority lane as stalled");
    }

    private static String awaitStall(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath health = JsonPath.from(given().get("/q/health/ready").then().extract().asString());
            String status = health.getString("checks.find { it.name == '" + ConsumersHealthCheck.NAME + "' }.status");
            String stall = health.getString("checks.find { it.name == '" + ConsumersHealthCheck.NAME + "' }.data.orders");
            if ("DOWN".equals(status) && stall != null) {
                assertEquals("DOWN", health.getString("status"), "readiness is DOWN");
                return stall;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness never named the orders channel as stalled");
    }

    private static void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("readiness not UP again: " + given().get("/q/health/ready").asString());
            }
            Thread.sleep(200);
        }
    }
}
