package io.hemolink.common;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.common.tracing.NoSpanExport;
import io.hemolink.common.tracing.Traces;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trace context through the broker (ADR 0031): a call's {@code traceparent} goes with the event it commits (outbox
 * row, Kafka header) and on into the consumer's work; a record without one starts a trace of its own.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class TracesTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    Instance<SpanExporter> exporters;

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void callsTraceGoesWithItsEventAndOnIntoTheConsumer() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        String id = given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .header("tracestate", "hemolink=test")
                .body("{\"locationId\":\"H001\",\"name\":\"traced\",\"abo\":\"O\",\"quantity\":1}")
                .post("/api/v1/things").then().statusCode(201).extract().path("id");

        List<ConsumerRecord<String, String>> records = KafkaProbe.read(ThingEvents.TOPIC, r -> id.equals(r.key()), 1,
                Duration.ofSeconds(15));
        assertEquals(1, records.size());
        String parent = KafkaProbe.header(records.get(0), Traces.TRACEPARENT);
        assertNotNull(parent, "the event carries the trace of the call that committed it");
        String[] parts = parent.split("-");
        assertEquals(4, parts.length, parent);
        assertEquals("00", parts[0]);
        assertEquals(traceId, parts[1], "the same trace as the caller's");
        assertNotEquals(callerSpan, parts[2], "its parent is the service's own span of the call, not the caller's");
        assertEquals("01", parts[3], "sampled, as the caller asked");
        assertEquals("hemolink=test", KafkaProbe.header(records.get(0), Traces.TRACESTATE));
        assertNotNull(KafkaProbe.header(records.get(0), CloudEventHeaders.ID), "the CloudEvents headers are all still there");

        assertEquals(traceId, awaitEffectTrace(id), "the consumer's work on the event belongs to the same trace");
    }

    @Test
    void callWithoutTraceparentStartsATraceItsEventCarries() {
        String id = given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"locationId\":\"H001\",\"name\":\"untraced\",\"abo\":\"A\",\"quantity\":1}")
                .post("/api/v1/things").then().statusCode(201).extract().path("id");
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(ThingEvents.TOPIC, r -> id.equals(r.key()), 1,
                Duration.ofSeconds(15));
        assertEquals(1, records.size());
        String traceId = Traces.traceId(KafkaProbe.header(records.get(0), Traces.TRACEPARENT));
        assertNotNull(traceId, "a new trace, begun by the service");
        assertNotEquals("0".repeat(32), traceId);
        assertNull(KafkaProbe.header(records.get(0), Traces.TRACESTATE), "no tracestate where none was given");
        assertEquals(traceId, awaitEffectTrace(id));
    }

    @Test
    void recordWithoutTraceparentIsWorkedOnInATraceOfItsOwn() {
        String key = "untraced-" + UUID.randomUUID();
        KafkaProbe.send(ThingEvents.TOPIC, key, "{\"thingKey\":\"" + key + "\",\"position\":3,\"name\":\"raw\"}",
                CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());
        String traceId = awaitEffectTrace(key);
        assertEquals(32, traceId.length());
        assertNotEquals("0".repeat(32), traceId, "a valid trace of its own");

        String other = "untraced-" + UUID.randomUUID();
        KafkaProbe.send(ThingEvents.TOPIC, other, "{\"thingKey\":\"" + other + "\",\"position\":4,\"name\":\"raw\"}",
                CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());
        assertNotEquals(traceId, awaitEffectTrace(other), "one trace per record, never the previous record's");
    }

    @Test
    void recordWithTraceparentContinuesItsTrace() {
        String key = "traced-" + UUID.randomUUID();
        String traceId = hex(16);
        KafkaProbe.send(ThingEvents.TOPIC, key, "{\"thingKey\":\"" + key + "\",\"position\":5,\"name\":\"raw\"}",
                CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType(),
                Traces.TRACEPARENT, "00-" + traceId + "-" + hex(8) + "-01");
        assertEquals(traceId, awaitEffectTrace(key));
    }

    @Test
    void nothingIsExportedWithoutACollector() {
        // the application's SpanExporter is the one that drops spans, so Quarkus installs no OTLP exporter
        assertTrue(exporters.isResolvable(), "one SpanExporter bean");
        assertTrue(exporters.get() instanceof NoSpanExport, exporters.get().getClass().getName());
    }

    private String awaitEffectTrace(String thingKey) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            @SuppressWarnings("unchecked")
            List<String> traces = QuarkusTransaction.requiringNew().call(() -> em
                    .createNativeQuery("select trace_id from thing_effect where thing_key = ?1")
                    .setParameter(1, thingKey).getResultList());
            if (!traces.isEmpty()) {
                return traces.get(0);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the consumer never worked on " + thingKey);
    }
}
