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
import io.hemolink.contracts.events.order.OrderCancelled;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allocation lanes (ADR 0025): an EMERGENCY order behind a backlog of ROUTINE orders in the same partition is
 * allocated before the backlog, and a submission seen after its order was cancelled is never allocated.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class PriorityLaneTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    @AfterEach
    void closeOpenLines() {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update demand_line set closed_at = now(), pending = false where closed_at is null")
                        .executeUpdate());
    }

    private static OrderSubmitted order(Priority priority, Abo abo, int quantity) {
        Instant now = Instant.now();
        return new OrderSubmitted("ORD-" + UUID.randomUUID(), "H001", priority, null, now.plus(Duration.ofHours(4)),
                false, List.of(new OrderLine(1, Component.RBC_LR, abo, RhD.POS, quantity, false, false, false, List.of())),
                now, "hospital-a");
    }

    /** Every event under one key, so they share one partition and its order: the backlog is really ahead. */
    private <T> void send(EventType<T> type, T payload) throws Exception {
        KafkaProbe.send(Topics.ORDERS, "one-partition", mapper.writeValueAsString(payload), CloudEventHeaders.ID,
                UUID.randomUUID().toString(), CloudEventHeaders.TYPE, type.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0");
    }

    private void releaseAtStation(String abo, int bags) {
        for (int i = 0; i < bags; i++) {
            release(unitJson(newDin(), "RBC_LR", abo, "POS", 1,
                    Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())).statusCode(201);
        }
    }

    private List<AllocationMade> allocations(Set<String> orderIds, int count) throws Exception {
        return allocations(orderIds, count, Duration.ofSeconds(30));
    }

    private List<AllocationMade> allocations(Set<String> orderIds, int count, Duration timeout) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(Topics.ALLOCATIONS,
                r -> orderIds.contains(r.key()), count, timeout);
        List<AllocationMade> made = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            made.add(mapper.readValue(r.value(), AllocationMade.class));
        }
        return made;
    }

    private long pending(Set<String> orderIds) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from demand_line where pending and order_id = any(cast(?1 as text[]))")
                .setParameter(1, "{" + String.join(",", orderIds) + "}").getSingleResult()).longValue());
    }

    @Test
    void emergencyIsAllocatedWhileTheRoutineBacklogAheadOfItWaits() throws Exception {
        releaseAtStation("O", 2);
        releaseAtStation("B", 3);
        List<OrderSubmitted> routine = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            routine.add(order(Priority.ROUTINE, Abo.B, 1));
        }
        Set<String> routineIds = routine.stream().map(OrderSubmitted::orderId).collect(Collectors.toSet());
        OrderSubmitted emergency = order(Priority.EMERGENCY, Abo.O, 1);
        // the routine lane is held up on the B key (a slow routine batch, as under a heavy load): its backlog cannot
        // drain, while nothing in the EMERGENCY order's way may wait for it
        try (Connection holder = dataSource.getConnection();
             PreparedStatement lock = holder.prepareStatement("select pg_advisory_lock(hashtextextended(?, 0))");
             PreparedStatement unlock = holder.prepareStatement("select pg_advisory_unlock(hashtextextended(?, 0))")) {
            lock.setString(1, "allocation|RBC_LR|B|POS");
            lock.execute();
            try {
                for (OrderSubmitted o : routine) {
                    send(Events.ORDER_SUBMITTED, o);
                }
                send(Events.ORDER_SUBMITTED, emergency);

                List<AllocationMade> first = allocations(Set.of(emergency.orderId()), 1);
                assertEquals(1, first.size(), "the EMERGENCY order is allocated while the ROUTINE backlog waits");
                assertEquals("ALLOCATED", first.get(0).status().name());
                assertEquals(20, pending(routineIds),
                        "every ROUTINE order ahead of it in the partition is recorded and still unallocated");
                assertTrue(allocations(routineIds, 1, Duration.ofSeconds(1)).isEmpty(),
                        "no ROUTINE order was allocated before the EMERGENCY one");
            } finally {
                unlock.setString(1, "allocation|RBC_LR|B|POS");
                unlock.execute();
            }
        }
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("hemolink_allocation_latency_seconds")
                        && l.contains("priority=\"EMERGENCY\"") && l.contains("quantile=\"0.99\"")),
                "the service times an EMERGENCY order from the consumer to its allocation's commit");
        List<AllocationMade> later = allocations(routineIds, 20);
        assertEquals(20, later.stream().map(AllocationMade::orderId).distinct().count(), "the backlog drains after");
        assertTrue(later.stream().filter(m -> m.status().name().equals("ALLOCATED")).count() >= 3,
                "the three B bags (and any left by other tests) go to the backlog once it may drain");
        assertEquals(0, pending(routineIds));
    }

    @Test
    void aSubmissionSeenAfterItsCancellationIsNeverAllocated() throws Exception {
        releaseAtStation("A", 2);
        OrderSubmitted cancelled = order(Priority.EMERGENCY, Abo.A, 1);
        OrderSubmitted after = order(Priority.EMERGENCY, Abo.A, 1);
        // the cancellation overtakes the submission (another lane, a replayed dead letter): the inventory must hold
        send(Events.ORDER_CANCELLED, new OrderCancelled(cancelled.orderId(), "H001", "changed mind", "hospital-a",
                Instant.now()));
        send(Events.ORDER_SUBMITTED, cancelled);
        send(Events.ORDER_SUBMITTED, after);

        List<AllocationMade> made = allocations(Set.of(after.orderId()), 1);
        assertEquals("ALLOCATED", made.get(0).status().name());
        assertTrue(allocations(Set.of(cancelled.orderId()), 1, Duration.ofSeconds(2)).isEmpty(),
                "the cancelled order got no allocation");
        Number reserved = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select count(*) from unit where order_id = ?1").setParameter(1, cancelled.orderId()).getSingleResult());
        assertEquals(0, reserved.intValue(), "no bag reserved for a cancelled order");
        Number open = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                        "select count(*) from demand_line where order_id = ?1 and closed_at is null")
                .setParameter(1, cancelled.orderId()).getSingleResult());
        assertEquals(0, open.intValue(), "its lines are not open demand");
    }
}
