package io.hemolink.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.EventType;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Test helpers: subscribing through the API, events sent on Kafka as their producers would, signatures checked. */
final class Hooks {

    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Hooks() {
    }

    /** A hospital id no other test uses (so no other test's events reach its subscriptions). */
    static String newHospital() {
        return String.format("H%03d", 100 + ThreadLocalRandom.current().nextInt(900));
    }

    /** Subscribes with {@code token}; the 201 answer. */
    static JsonPath subscribe(String token, String url, String locationId, String... events) {
        StringBuilder body = new StringBuilder("{\"url\":\"").append(url).append("\",\"events\":[");
        for (int i = 0; i < events.length; i++) {
            body.append(i == 0 ? "" : ",").append('"').append(events[i]).append('"');
        }
        body.append(']');
        if (locationId != null) {
            body.append(",\"locationId\":\"").append(locationId).append('"');
        }
        body.append('}');
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath();
    }

    static void unsubscribe(String token, String id) {
        given().auth().oauth2(token).delete("/api/v1/subscriptions/" + id).then().statusCode(204);
    }

    /** Sends {@code payload} as an event of {@code type} with a new id; returns the id. */
    static <T> String send(EventType<T> type, String key, T payload) {
        String id = UUID.randomUUID().toString();
        send(type, key, payload, id);
        return id;
    }

    /** Sends {@code payload} as the event {@code id} (again, for a redelivery). */
    static <T> void send(EventType<T> type, String key, T payload, String id, String... moreHeaders) {
        try {
            String[] headers = {CloudEventHeaders.ID, id, CloudEventHeaders.TYPE, type.ceType(),
                    CloudEventHeaders.SOURCE, "/hemolink/test", CloudEventHeaders.SUBJECT, key};
            String[] all = java.util.Arrays.copyOf(headers, headers.length + moreHeaders.length);
            System.arraycopy(moreHeaders, 0, all, headers.length, moreHeaders.length);
            KafkaProbe.send(type.topic(), key, MAPPER.writeValueAsString(payload), all);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The receiver's own check of a delivery: HMAC-SHA256 of the raw body with the secret, as hex. */
    static boolean signedWith(String secret, Receiver.Hit hit) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(hit.body()));
            return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    hit.signature() == null ? new byte[0] : hit.signature().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonPath json(Receiver.Hit hit) {
        return new JsonPath(hit.text());
    }

    static List<String> ids(List<Receiver.Hit> hits) {
        return hits.stream().map(h -> json(h).getString("id")).toList();
    }

    static JsonPath deliveries(String token, String subscription) {
        return given().auth().oauth2(token).get("/api/v1/subscriptions/" + subscription + "/deliveries").then()
                .statusCode(200).extract().jsonPath();
    }
}
