package io.hemolink.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.EventType;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.infra.TestTokens;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** What the order tests share: fresh locations, order bodies, the inventory's events sent as the inventory would. */
final class OrderTesting {

    private static final AtomicInteger HOSPITALS = new AtomicInteger(100);
    private static final AtomicInteger POINTS = new AtomicInteger(10);
    private static final AtomicInteger DINS = new AtomicInteger(1000);
    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private OrderTesting() {
    }

    /** A hospital registered just now, so each test sees only its own orders. */
    static String newHospital() {
        return newHospital("测试医院 Test hospital");
    }

    static String newHospital(String name) {
        String id = String.format("H%03d", HOSPITALS.incrementAndGet());
        putLocation(id, "{\"name\":" + quote(name) + ",\"kind\":\"HOSPITAL\"}").statusCode(201);
        return id;
    }

    static String newStoragePoint(String host) {
        String id = String.format("SP%02d", POINTS.incrementAndGet());
        putLocation(id, "{\"name\":\"储血点 point\",\"kind\":\"STORAGE_POINT\",\"hostHospitalId\":\"" + host + "\"}")
                .statusCode(201);
        return id;
    }

    static ValidatableResponse putLocation(String id, String body) {
        return given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body)
                .put("/api/v1/locations/" + id).then();
    }

    static String newDin() {
        String data = "G1234" + "26" + String.format("%06d", DINS.incrementAndGet());
        return data + Din.checkCharacter(data);
    }

    /** One bag of a receipt body ({@code POST /orders/{id}/receipt}); a rejection names its reason. */
    static String receipt(String din, String component, boolean accepted, String reason) {
        return "{\"din\":\"" + din + "\",\"component\":\"" + component + "\",\"accepted\":" + accepted
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
    }

    static String orderJson(String locationId, String priority, String lines) {
        return "{\"locationId\":\"" + locationId + "\",\"priority\":\"" + priority + "\",\"lines\":[" + lines + "]}";
    }

    static String line(String component, String abo, String rhd, int quantity) {
        return "{\"component\":\"" + component + "\",\"abo\":\"" + abo + "\",\"rhd\":\"" + rhd + "\",\"quantity\":" + quantity + "}";
    }

    static ValidatableResponse post(String token, String path, String body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).post("/api/v1" + path).then();
    }

    static String submit(String hospital, String body) {
        return post(TestTokens.hospital(hospital), "/orders", body).statusCode(201).extract().path("id");
    }

    static UnitRef bag(Component c, Abo abo, RhD rhd, int quantity) {
        return new UnitRef(newDin(), c, null, abo, rhd, quantity, Instant.now().plus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS), null);
    }

    /** Sends an event as its producer would (CloudEvents headers), with a given event id. */
    static <T> void send(EventType<T> type, String key, T payload, String eventId) {
        try {
            KafkaProbe.send(type.topic(), key, MAPPER.writeValueAsString(payload), CloudEventHeaders.ID, eventId,
                    CloudEventHeaders.TYPE, type.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0",
                    CloudEventHeaders.SOURCE, "/hemolink/inventory");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> String send(EventType<T> type, String key, T payload) {
        String id = UUID.randomUUID().toString();
        send(type, key, payload, id);
        return id;
    }

    /** Polls the order until it shows {@code status}. */
    static void awaitStatus(String hospital, String orderId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = given().auth().oauth2(TestTokens.hospital(hospital)).get("/api/v1/orders/" + orderId).then()
                    .statusCode(200).extract().path("status");
            if (status.equals(last)) {
                return;
            }
            sleep(100);
        }
        fail("order " + orderId + " is " + last + ", not " + status);
    }

    /** The events of {@code type} on its topic under {@code key}, waiting for {@code expected} of them. */
    static <T> List<T> events(EventType<T> type, String key, int expected, Duration timeout) {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(type.topic(), r -> key.equals(r.key())
                && type.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), expected, timeout);
        return records.stream().map(r -> {
            try {
                return MAPPER.readValue(r.value(), type.payloadClass());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static <T> T event(EventType<T> type, String key) {
        List<T> found = events(type, key, 1, Duration.ofSeconds(20));
        assertEquals(1, found.size(), "one " + type.ceType() + " for " + key);
        return found.get(0);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
