package io.hemolink.e2e;

import io.hemolink.contracts.isbt.Din;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

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
