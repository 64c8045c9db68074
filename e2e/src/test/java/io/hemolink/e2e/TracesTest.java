package io.hemolink.e2e;

import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.infra.DemoData;
import io.hemolink.infra.LocalStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.hemolink.e2e.Api.as;
import static io.hemolink.e2e.Api.await;
import static io.hemolink.e2e.Api.release;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Traces across the platform (api.md "Traces", ADR 0031): a hospital's call through the gateway with a W3C
 * {@code traceparent} continues that trace; the OrderSubmitted the order service commits and the AllocationMade the
 * inventory answers with both carry it in their {@code traceparent} Kafka header.
 */
@ExtendWith(Platform.class)
class TracesTest {

    static String dispatcher;
    static String hospitalA;

    @BeforeAll
    static void region() throws Exception {
        dispatcher = Platform.token("dispatcher");
        hospitalA = Platform.token("hospital-a");
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(dispatcher);
    }

    @Test
    void anOrderCallsTraceGoesThroughTheGatewayToItsSubmissionAndItsAllocation() {
        release(dispatcher, "RBC_LR", "AB", "NEG", 1, 200, 5, "STATION");
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String traceId = HexFormat.of().formatHex(random, 0, 16);
        String callerSpan = HexFormat.of().formatHex(random, 16, 24);

        String orderId = as(hospitalA).header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .body("""
                        {"locationId":"H001","priority":"EMERGENCY",
                         "lines":[{"component":"RBC_LR","abo":"AB","rhd":"NEG","quantity":1}]}""")
                .post("/orders").then().statusCode(201).extract().path("id");
        await("the order is allocated", Duration.ofSeconds(20), () -> "ALLOCATED".equals(
                as(hospitalA).get("/orders/" + orderId).then().statusCode(200).extract().path("status")));

        String submitted = traceparent(Topics.ORDERS, orderId, Events.ORDER_SUBMITTED.ceType());
        assertNotNull(submitted, "OrderSubmitted carries a traceparent header");
        assertEquals(traceId, submitted.split("-")[1], "OrderSubmitted belongs to the hospital's trace: " + submitted);
        assertNotEquals(callerSpan, submitted.split("-")[2], "its parent is a span of the platform, not the caller's");

        String allocated = traceparent(Topics.ALLOCATIONS, orderId, Events.ALLOCATION_MADE.ceType());
        assertNotNull(allocated, "AllocationMade carries a traceparent header");
        assertEquals(traceId, allocated.split("-")[1], "AllocationMade belongs to the same trace: " + allocated);
        assertNotEquals(submitted.split("-")[2], allocated.split("-")[2], "its parent is the inventory's own span");
    }

    /** The {@code traceparent} header of the first record of {@code ceType} under {@code key} on {@code topic}. */
    private static String traceparent(String topic, String key, String ceType) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + LocalStack.KAFKA_PORT,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-traces-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key()) && ceType.equals(header(r, "ce_type"))) {
                        return header(r, "traceparent");
                    }
                }
            }
        }
        throw new AssertionError("no " + ceType + " for " + key + " on " + topic + " within 30 s");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
