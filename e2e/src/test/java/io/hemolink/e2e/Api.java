package io.hemolink.e2e;

import io.hemolink.contracts.isbt.Din;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;

/** Calls through the gateway with real tokens, and the waiting an asynchronous platform needs. */
final class Api {

    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.currentTimeMillis() / 1000 % 500_000));

    private Api() {
    }

    static RequestSpecification as(String token) {
        return given().baseUri(Platform.API).urlEncodingEnabled(true).auth().oauth2(token)
                .contentType("application/json");
    }

    /** A client-credentials token of a HIS service account from the real Keycloak. */
    static String serviceAccount(String clientId, String secret) {
        return RestAssured.given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post(Platform.TOKEN_URL)
                .then().statusCode(200).extract().path("access_token");
    }

    /** A fresh, valid ISBT 128 donation number (facility W1234, year 27: never one of the demo's). */
    static String newDin() {
        String data = "W123427" + String.format("%06d", SEQ.incrementAndGet());
        return data + Din.checkCharacter(data);
    }

    /** Releases one bag at {@code location}, collected {@code daysAgo} days ago; returns its DIN. */
    static String release(String token, String component, String abo, String rhd, int quantity, int volumeMl,
                          int daysAgo, String location) {
        String din = newDin();
        Instant collected = Instant.now().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        as(token).body("""
                        {"din":"%s","component":"%s","abo":"%s","rhd":"%s","quantity":%d,"volumeMl":%d,
                         "collectedAt":"%s","locationId":"%s"}""".formatted(din, component, abo, rhd, quantity, volumeMl,
                        collected, location))
                .post("/units").then().statusCode(201);
        return din;
    }

    /**
     * Opens an SSE stream of the gateway ({@code /stock/stream}, {@code /orders/stream}) with {@code token} and
     * collects its events as {@code "<event> <data>"}, in arrival order, until the test ends.
     */
    static BlockingQueue<String> stream(String token, String path) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(Platform.API + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode());
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = "message";
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        events.add(event + " " + line.substring(5).strip());
                    } else if (line.isEmpty()) {
                        event = "message";
                    }
                }
            } catch (Exception ignored) {
                // the stream ends with the test
            }
        }, "sse" + path.replace('/', '-'));
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    /** The next collected event that {@code match}es (others are passed over), or null after {@code timeout}. */
    static String poll(BlockingQueue<String> events, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String e = events.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && match.test(e)) {
                return e;
            }
        }
        return null;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
