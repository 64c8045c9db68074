package io.hemolink.order;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.common.tracing.Traces;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.EventType;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.storage.ReplenishmentRequested;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.hemolink.order.OrderTesting.awaitStatus;
import static io.hemolink.order.OrderTesting.bag;
import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.newStoragePoint;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trace from a hospital's call through its OrderSubmitted, the inventory's AllocationMade and back into the
 * order (ADR 0031; api.md "Traces"): the submission carries the caller's trace, the allocation is applied in a span of
 * that trace whose parent is the inventory's, and an order placed by a consumer carries its event's trace on.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class TracesTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RecordedSpans spans;

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The traceparent header of the one event of {@code type} under {@code key}. */
    private static String traceparentOf(EventType<?> type, String key) {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(type.topic(), r -> key.equals(r.key())
                && type.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), 1, Duration.ofSeconds(20));
        assertEquals(1, records.size(), "one " + type.ceType() + " for " + key);
        return KafkaProbe.header(records.get(0), Traces.TRACEPARENT);
    }

    /** Sends an event as its producer's relay would: CloudEvents headers and the producer's traceparent. */
    private static <T> void send(EventType<T> type, String key, T payload, String traceparent) {
        try {
            KafkaProbe.send(type.topic(), key, OrderTesting.mapper().writeValueAsString(payload), CloudEventHeaders.ID,
                    UUID.randomUUID().toString(), CloudEventHeaders.TYPE, type.ceType(), CloudEventHeaders.SPEC_VERSION,
                    "1.0", Traces.TRACEPARENT, traceparent);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneTraceFromTheCallThroughTheAllocationBackToTheOrder() {
        String h = newHospital();
        String traceId = hex(16);
        String callerSpan = hex(8);
        String id = given().auth().oauth2(TestTokens.hospital(h)).contentType("application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .body(orderJson(h, "URGENT", line("RBC_LR", "O", "POS", 1)))
                .post("/api/v1/orders").then().statusCode(201).extract().<String>path("id");

        String submitted = traceparentOf(Events.ORDER_SUBMITTED, id);
        assertNotNull(submitted, "OrderSubmitted carries a traceparent");
        assertEquals(traceId, Traces.traceId(submitted), "OrderSubmitted belongs to the caller's trace");
        assertNotEquals(callerSpan, submitted.split("-")[2], "its parent is the order service's span of the call");

        // the inventory answers in the same trace, from a span of its own
        String inventorySpan = hex(8);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 1, List.of(bag(Component.RBC_LR, Abo.O, RhD.POS, 1)))), Instant.now()),
                "00-" + traceId + "-" + inventorySpan + "-01");
        awaitStatus(h, id, "ALLOCATED");

        SpanData applied = spans.await(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CONSUMER
                        && s.getName().startsWith(Topics.ALLOCATIONS), Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("no span of the allocation's trace in the order service"));
        assertEquals(inventorySpan, applied.getParentSpanId(), "the order applies the allocation as a child of the inventory's span");
        assertTrue(applied.getParentSpanContext().isRemote());
        assertEquals(Topics.ALLOCATIONS, applied.getAttributes().get(
                io.opentelemetry.api.common.AttributeKey.stringKey("messaging.destination.name")));

        // and the call's own server span is in the same trace, parent of what the submission's event names
        SpanData server = spans.await(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER,
                Duration.ofSeconds(20)).orElseThrow(() -> new AssertionError("no server span of the call"));
        assertEquals(callerSpan, server.getParentSpanId(), "the incoming traceparent was honoured");
        assertEquals(server.getSpanId(), submitted.split("-")[2], "OrderSubmitted names the call's span as its parent");
    }

    @Test
    void anOrderPlacedByAConsumerCarriesItsEventsTraceOn() {
        String point = newStoragePoint(newHospital());
        String requestId = UUID.randomUUID().toString();
        String traceId = hex(16);
        String storageSpan = hex(8);
        send(Events.REPLENISHMENT_REQUESTED, point, new ReplenishmentRequested(requestId, point,
                        List.of(new ReplenishmentRequested.Line(Component.RBC_LR, Abo.A, RhD.POS, 2)), Instant.now()),
                "00-" + traceId + "-" + storageSpan + "-01");

        String submitted = traceparentOf(Events.ORDER_SUBMITTED, requestId);
        assertNotNull(submitted, "the order placed from the request carries a traceparent");
        assertEquals(traceId, Traces.traceId(submitted), "the storage point's trace goes on into its order");
        assertNotEquals(storageSpan, submitted.split("-")[2], "its parent is the order service's span of the request");
    }
}
