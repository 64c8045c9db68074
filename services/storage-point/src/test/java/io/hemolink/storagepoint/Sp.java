package io.hemolink.storagepoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.EventType;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.UnitMoved;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.infra.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;

/** Test helpers: storage points, units put there through real UnitMoved events, readings, events read back. */
final class Sp {

    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() % 500_000));

    private Sp() {
    }

    static String newDin() {
        String data = "G1234" + "26" + String.format("%06d", SEQ.incrementAndGet() % 1_000_000);
        return data + Din.checkCharacter(data);
    }

    /** Registers a new point (a free SPnn) with a fridge, an agitator and a freezer, and the given par levels JSON. */
    static String newPoint(String parLevelsJson) {
        for (int attempt = 0; attempt < 200; attempt++) {
            String id = String.format("SP%02d", 10 + ThreadLocalRandom.current().nextInt(90));
            int status = given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                    .body("{\"id\":\"" + id + "\",\"name\":\"测试储血点 " + id + "\",\"hostHospitalId\":\"H002\","
                            + "\"equipment\":[{\"id\":\"" + id + "-F1\",\"kind\":\"RBC_FRIDGE\"},"
                            + "{\"id\":\"" + id + "-P1\",\"kind\":\"PLT_AGITATOR\"},"
                            + "{\"id\":\"" + id + "-Z1\",\"kind\":\"PLASMA_FREEZER\"}],"
                            + "\"parLevels\":" + parLevelsJson + "}")
                    .post("/api/v1/storage-points").then().extract().statusCode();
            if (status == 201) {
                return id;
            }
            if (status != 409) {
                throw new AssertionError("registering " + id + " answered " + status);
            }
        }
        throw new AssertionError("no free storage point id");
    }

    static String newPoint() {
        return newPoint("[]");
    }

    static <T> void send(EventType<T> type, String key, T payload) {
        try {
            KafkaProbe.send(type.topic(), key, MAPPER.writeValueAsString(payload), CloudEventHeaders.ID,
                    UUID.randomUUID().toString(), CloudEventHeaders.TYPE, type.ceType());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static UnitMoved moved(String din, Component component, Abo abo, RhD rhd, int quantity, MovementType movement,
                           String from, String to, UnitStatus status, Instant expiresAt, String equipmentId) {
        return moved(din, component, abo, rhd, quantity, movement, from, to, status, expiresAt, equipmentId, null);
    }

    static UnitMoved moved(String din, Component component, Abo abo, RhD rhd, int quantity, MovementType movement,
                           String from, String to, UnitStatus status, Instant expiresAt, String equipmentId,
                           io.hemolink.contracts.blood.UnitAttributes attributes) {
        return new UnitMoved(din, component, null, abo, rhd, quantity, component.uom(), movement, from, to, status,
                null, null, "test", Instant.now(), expiresAt, equipmentId, attributes, null);
    }

    /** Puts a unit at {@code point} as the inventory would after a receipt there; returns its DIN. */
    static String receive(String point, Component component, Abo abo, RhD rhd, int quantity, Instant expiresAt) {
        String din = newDin();
        send(Events.UNIT_MOVED, din, moved(din, component, abo, rhd, quantity, MovementType.RECEIVED_AT_HOSPITAL,
                "STATION", point, UnitStatus.AVAILABLE, expiresAt, null));
        return din;
    }

    static JsonPath point(String id) {
        return given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/storage-points/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    static JsonPath await(String id, Predicate<JsonPath> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath now = point(id);
        while (!ready.test(now) && System.nanoTime() < deadline) {
            sleep(100);
            now = point(id);
        }
        return now;
    }

    /** The total bags at the point, from GET. */
    static int bags(JsonPath point) {
        List<Integer> bags = point.getList("stock.bags", Integer.class);
        return bags.stream().mapToInt(Integer::intValue).sum();
    }

    static ValidatableResponse readings(String point, String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/storage-points/" + point + "/temperature-readings").then();
    }

    static String reading(String equipment, Instant at, double celsius) {
        return "{\"equipmentId\":\"" + equipment + "\",\"at\":\"" + at + "\",\"celsius\":" + celsius + "}";
    }

    static String batch(List<String> readings) {
        return "{\"readings\":[" + String.join(",", readings) + "]}";
    }

    /** Events of {@code type} on the storage topic whose payload mentions {@code text}. */
    static <T> List<T> events(EventType<T> type, String text, int expected, Duration timeout) {
        List<ConsumerRecord<String, String>> found = KafkaProbe.read(type.topic(),
                r -> type.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)) && r.value().contains(text),
                expected, timeout);
        return found.stream().map(r -> {
            try {
                return MAPPER.readValue(r.value(), type.payloadClass());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
