package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.common.tracing.Traces;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
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
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Traces through the allocation (ADR 0031): an OrderSubmitted carrying a {@code traceparent} is allocated by its lane
 * after the consumer's commit, on a thread of its own, and its AllocationMade carries the same trace on, each order
 * its own even when one lane transaction allocates several.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class TracesThroughAllocationTest {

    private static final SecureRandom RANDOM = new SecureRandom();

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

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static OrderSubmitted order(Abo abo) {
        Instant now = Instant.now();
        return new OrderSubmitted("ORD-" + UUID.randomUUID(), "H001", Priority.URGENT, null, now.plus(Duration.ofHours(4)),
                false, List.of(new OrderLine(1, Component.RBC_LR, abo, RhD.NEG, 1, false, false, false, List.of())),
                now, "hospital-a");
    }

    /** Sends the submission as the order service's relay would, in the trace {@code traceparent} names. */
    private void submit(OrderSubmitted order, String traceparent) throws Exception {
        KafkaProbe.send(Topics.ORDERS, order.orderId(), mapper.writeValueAsString(order), CloudEventHeaders.ID,
                UUID.randomUUID().toString(), CloudEventHeaders.TYPE, Events.ORDER_SUBMITTED.ceType(),
                CloudEventHeaders.SPEC_VERSION, "1.0", Traces.TRACEPARENT, traceparent);
    }

    private static void releaseAtStation(String abo, int bags) {
        for (int i = 0; i < bags; i++) {
            release(unitJson(newDin(), "RBC_LR", abo, "NEG", 1,
                    Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())).statusCode(201);
        }
    }

    /** The traceparent header of each order's first AllocationMade, by order id. */
    private static Map<String, String> allocationTraces(Set<String> orderIds) {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(Topics.ALLOCATIONS,
                r -> orderIds.contains(r.key())
                        && Events.ALLOCATION_MADE.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)),
                orderIds.size(), Duration.ofSeconds(30));
        Map<String, String> traces = new HashMap<>();
        records.forEach(r -> traces.putIfAbsent(r.key(), KafkaProbe.header(r, Traces.TRACEPARENT)));
        assertEquals(orderIds, traces.keySet(), "every order is allocated");
        return traces;
    }

    private long pending(Set<String> orderIds) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from demand_line where pending and order_id = any(cast(?1 as text[]))")
                .setParameter(1, "{" + String.join(",", orderIds) + "}").getSingleResult()).longValue());
    }

    @Test
    void allocationMadeCarriesTheTraceOfTheSubmission() throws Exception {
        releaseAtStation("AB", 1);
        OrderSubmitted order = order(Abo.AB);
        String traceId = hex(16);
        String producerSpan = hex(8);
        submit(order, "00-" + traceId + "-" + producerSpan + "-01");

        String parent = allocationTraces(Set.of(order.orderId())).get(order.orderId());
        assertNotNull(parent, "the AllocationMade carries a traceparent");
        assertEquals(traceId, Traces.traceId(parent), "the AllocationMade belongs to the submission's trace");
        assertNotEquals(producerSpan, parent.split("-")[2], "its parent is the inventory's span of the submission");
    }

    @Test
    void ordersAllocatedInOneLaneTransactionEachKeepTheirOwnTrace() throws Exception {
        releaseAtStation("B", 1);
        releaseAtStation("A", 2);
        OrderSubmitted ahead = order(Abo.B);
        OrderSubmitted first = order(Abo.A);
        OrderSubmitted second = order(Abo.A);
        String aheadTrace = hex(16);
        String firstTrace = hex(16);
        String secondTrace = hex(16);
        Set<String> both = Set.of(first.orderId(), second.orderId());
        // the lane is held up by the order ahead (its key locked) while both are recorded, so its next transaction
        // allocates them together
        try (Connection holder = dataSource.getConnection();
             PreparedStatement lock = holder.prepareStatement("select pg_advisory_lock(hashtextextended(?, 0))");
             PreparedStatement unlock = holder.prepareStatement("select pg_advisory_unlock(hashtextextended(?, 0))")) {
            lock.setString(1, "allocation|RBC_LR|B|NEG");
            lock.execute();
            try {
                submit(ahead, "00-" + aheadTrace + "-" + hex(8) + "-01");
                submit(first, "00-" + firstTrace + "-" + hex(8) + "-01");
                submit(second, "00-" + secondTrace + "-" + hex(8) + "-01");
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (pending(both) < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(2, pending(both), "both recorded, neither allocated yet");
            } finally {
                unlock.setString(1, "allocation|RBC_LR|B|NEG");
                unlock.execute();
            }
        }
        Map<String, String> traces = allocationTraces(Set.of(ahead.orderId(), first.orderId(), second.orderId()));
        assertEquals(aheadTrace, Traces.traceId(traces.get(ahead.orderId())));
        assertEquals(firstTrace, Traces.traceId(traces.get(first.orderId())));
        assertEquals(secondTrace, Traces.traceId(traces.get(second.orderId())));
    }
}
