package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.EventType;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.order.DemandForecastUpdated;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.domain.Backorders;
import io.hemolink.inventory.domain.SupplyAlerts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue of open order lines over real Kafka and PostgreSQL: backorders topped up as stock arrives, EMERGENCY
 * first, ROUTINE lines of a group in shortage cut and shared by need; open and forecast demand on the balance board.
 * Each test uses its own component and group, and closes what it left open.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class BackordersTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    Backorders backorders;

    @Inject
    SupplyAlerts alerts;

    @Inject
    EntityManager em;

    private final LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @AfterEach
    void closeOpenLines() {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update demand_line set closed_at = now() where closed_at is null").executeUpdate());
    }

    private static String stationBag(String component, String abo, String rhd, int quantity) {
        String din = newDin();
        release(unitJson(din, component, abo, rhd, quantity,
                Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())).statusCode(201);
        return din;
    }

    private OrderSubmitted order(String location, Priority priority, Component c, Abo abo, RhD rhd, int quantity)
            throws Exception {
        Instant now = Instant.now();
        OrderSubmitted order = new OrderSubmitted("ORD-" + UUID.randomUUID(), location, priority, null,
                now.plus(Duration.ofHours(4)), false, List.of(new OrderLine(1, c, abo, rhd, quantity, false, false, false, List.of())), now,
                "tester");
        send(Events.ORDER_SUBMITTED, order.orderId(), order);
        return order;
    }

    private <T> void send(EventType<T> type, String key, T payload) throws Exception {
        KafkaProbe.send(type.topic(), key, mapper.writeValueAsString(payload), CloudEventHeaders.ID,
                UUID.randomUUID().toString(), CloudEventHeaders.TYPE, type.ceType());
    }

    /** The order's allocation events, waiting until there are {@code count}. */
    private List<AllocationMade> allocations(String orderId, int count) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(Topics.ALLOCATIONS, r -> orderId.equals(r.key())
                && Events.ALLOCATION_MADE.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), count,
                Duration.ofSeconds(20));
        List<AllocationMade> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            out.add(mapper.readValue(r.value(), AllocationMade.class));
        }
        assertEquals(count, out.size(), "allocation events of " + orderId);
        return out;
    }

    private static String unitStatus(String din, String component) {
        return given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/" + component).then()
                .statusCode(200).extract().path("status");
    }

    @Test
    void aBackorderIsToppedUpAsStockArrives() throws Exception {
        OrderSubmitted order = order("H001", Priority.ROUTINE, Component.FFP, Abo.B, RhD.POS, 2);
        assertEquals("BACKORDERED", allocations(order.orderId(), 1).get(0).status().name());

        stationBag("FFP", "B", "POS", 1);
        AllocationMade partial = allocations(order.orderId(), 2).get(1);
        assertEquals("PARTIALLY_ALLOCATED", partial.status().name());
        assertEquals(1, partial.lines().get(0).allocatedQuantity());

        stationBag("FFP", "B", "POS", 1);
        AllocationMade full = allocations(order.orderId(), 3).get(2);
        assertEquals("ALLOCATED", full.status().name());
        assertEquals(2, full.lines().get(0).units().size(), "the picture holds every bag of the line");
    }

    @Test
    void queuedEmergencyLinesAreServedBeforeEarlierRoutineOnes() throws Exception {
        OrderSubmitted routine = order("H001", Priority.ROUTINE, Component.CRYO, Abo.A, RhD.POS, 1);
        allocations(routine.orderId(), 1);
        OrderSubmitted emergency = order("H002", Priority.EMERGENCY, Component.CRYO, Abo.A, RhD.POS, 1);
        assertEquals("BACKORDERED", allocations(emergency.orderId(), 1).get(0).status().name());

        String din = stationBag("CRYO", "A", "POS", 1);
        AllocationMade made = allocations(emergency.orderId(), 2).get(1);
        assertEquals("ALLOCATED", made.status().name());
        assertEquals(din, made.lines().get(0).units().get(0).din());
        assertEquals(1, KafkaProbe.read(Topics.ALLOCATIONS, r -> routine.orderId().equals(r.key()), 2,
                Duration.ofSeconds(2)).size(), "the routine order, though first, got nothing");
    }

    @Test
    void underARedAlertRoutineLinesAreCutAndSharedByNeedNotByWhoAskedFirst() throws Exception {
        // both hospitals use one unit of B- red cells a day; H001 holds one, H002 none
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into daily_issue (location_id, component, abo, rhd, day, quantity)
                        values ('H001', 'RBC', 'B', 'NEG', ?1, 28), ('H002', 'RBC', 'B', 'NEG', ?1, 28)""")
                .setParameter(1, today).executeUpdate());
        String h001Bag = newDin();
        release(unitJson(h001Bag, "RBC", "B", "NEG", 1, Instant.now().minus(1, ChronoUnit.DAYS).toString())
                .replace("}", ",\"locationId\":\"H001\"}")).statusCode(201);
        String first = stationBag("RBC", "B", "NEG", 1);
        // region: 2 U for 2 U a day = 1 day of supply: RED at once, for the region and for both hospitals
        List<SupplyAlerts.Alert> raised = alerts.evaluate(today).stream()
                .filter(a -> a.component() == Component.RBC && a.abo() == Abo.B && a.rhd() == RhD.NEG).toList();
        assertEquals(List.of("H001:RED", "H002:RED", "REGION:RED"),
                raised.stream().map(a -> a.scope() + ":" + a.level()).sorted().toList());

        OrderSubmitted fromH001 = order("H001", Priority.ROUTINE, Component.RBC, Abo.B, RhD.NEG, 3);
        assertEquals("BACKORDERED", allocations(fromH001.orderId(), 1).get(0).status().name(),
                "a routine line of a group in shortage waits for the round");
        OrderSubmitted fromH002 = order("H002", Priority.ROUTINE, Component.RBC, Abo.B, RhD.NEG, 3);
        allocations(fromH002.orderId(), 1);

        backorders.topUpAll();
        AllocationMade toH002 = allocations(fromH002.orderId(), 2).get(1);
        assertEquals(first, toH002.lines().get(0).units().get(0).din(), "the one bag goes to H002, which has none");
        assertEquals("PARTIALLY_ALLOCATED", toH002.status().name());

        String second = stationBag("RBC", "B", "NEG", 1); // arrives: H002 has its entitlement (30 % of 3 = 1)
        AllocationMade toH001 = allocations(fromH001.orderId(), 2).get(1);
        assertEquals(second, toH001.lines().get(0).units().get(0).din());

        String third = stationBag("RBC", "B", "NEG", 1);
        backorders.topUpAll();
        assertEquals("AVAILABLE", unitStatus(third, "RBC"), "at RED each routine line gets 1 of 3 and no more");

        // a hospital sees the region's alerts and its own, not another hospital's
        JsonPath seen = given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/alerts?active=true").then()
                .statusCode(200).extract().jsonPath();
        List<String> scopes = seen.getList("items.scope");
        assertTrue(scopes.contains("H002") && scopes.contains("REGION"), scopes.toString());
        assertFalse(scopes.contains("H001"), scopes.toString());
        List<String> stationSees = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts?active=true")
                .then().extract().jsonPath().getList("items.scope");
        assertTrue(stationSees.contains("H001") && stationSees.contains("H002"), stationSees.toString());
    }

    @Test
    void theBalanceBoardShowsStockOpenDemandAndForecast() throws Exception {
        Instant made = Instant.now();
        send(Events.DEMAND_FORECAST_UPDATED, "H003", new DemandForecastUpdated("H003", List.of(
                new DemandForecastUpdated.Day(today, Component.PLT_POOL, Abo.AB, RhD.POS, 4),
                new DemandForecastUpdated.Day(today.plusDays(1), Component.PLT_POOL, Abo.AB, RhD.POS, 5),
                new DemandForecastUpdated.Day(today.plusDays(30), Component.PLT_POOL, Abo.AB, RhD.POS, 50)),
                "hospital-c", made));
        // an older forecast delivered late does not replace the newer one
        send(Events.DEMAND_FORECAST_UPDATED, "H003", new DemandForecastUpdated("H003", List.of(
                new DemandForecastUpdated.Day(today, Component.PLT_POOL, Abo.AB, RhD.POS, 99)), "hospital-c",
                made.minusSeconds(3600)));
        OrderSubmitted order = order("H002", Priority.ROUTINE, Component.PLT_POOL, Abo.AB, RhD.POS, 2);
        allocations(order.orderId(), 1);
        stationBag("PLT_POOL", "AB", "POS", 1);
        allocations(order.orderId(), 2);
        stationBag("PLT_POOL", "AB", "POS", 1);
        allocations(order.orderId(), 3);
        String spare = stationBag("PLT_POOL", "AB", "POS", 1);
        assertEquals("AVAILABLE", unitStatus(spare, "PLT_POOL"));

        Map<String, Object> row = awaitRow(r -> ((Number) r.get("forecastDemand")).intValue() == 9);
        assertEquals(1, ((Number) row.get("station")).intValue(), row.toString());
        assertEquals(2, ((Number) row.get("openDemand")).intValue(), row.toString());
        assertEquals(0, ((Number) row.get("unallocatedDemand")).intValue(), row.toString());
        assertEquals("DOSE", row.get("uom"));

        given().get("/api/v1/stock/balance").then().statusCode(401);
        given().auth().oauth2(TestTokens.storagePointOperator("SP01")).get("/api/v1/stock/balance").then().statusCode(403);
    }

    private Map<String, Object> awaitRow(java.util.function.Predicate<Map<String, Object>> ready) throws InterruptedException {
        Map<String, Object> row = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> rows = given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock/balance")
                    .then().statusCode(200).body("forecastDays", equalTo(7)).extract().jsonPath().getList("rows");
            row = rows.stream().filter(r -> "PLT_POOL".equals(r.get("component")) && "AB".equals(r.get("abo"))
                    && "POS".equals(r.get("rhd"))).findFirst().orElse(null);
            if (row != null && ready.test(row)) {
                return row;
            }
            Thread.sleep(200);
        }
        assertNotNull(row, "no balance row");
        assertTrue(ready.test(row), row.toString());
        return row;
    }
}
