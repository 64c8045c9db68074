package io.hemolink.gateway;

import io.hemolink.auth.VerifiedTokens;
import io.hemolink.infra.ChildProcesses;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway in front of an upstream HTTP server standing in for the inventory service: tokens checked at the door,
 * paths and bearer token passed through unchanged, server-sent events streamed as they are produced.
 */
@QuarkusTest
@TestProfile(GatewayRoutingTest.WithUpstream.class)
@WithTestResource(value = InfraTestResource.class, initArgs = {
        @ResourceArg(name = "postgres", value = "false"), @ResourceArg(name = "kafka", value = "false")})
class GatewayRoutingTest {

    static final int UPSTREAM_PORT = ChildProcesses.freePort();
    static final Vertx VERTX = Vertx.vertx();
    static final HttpServer UPSTREAM = startUpstream();

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hemolink.gateway.routes.inventory.url", "http://localhost:" + UPSTREAM_PORT,
                    "hemolink.gateway.routes.order.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.storage-point.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.fee-waiver.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.notification.url", "http://localhost:" + ChildProcesses.freePort());
        }
    }

    private static HttpServer startUpstream() {
        try {
            return VERTX.createHttpServer().requestHandler(req -> {
                if (req.path().equals("/q/openapi")) {
                    req.response().putHeader("Content-Type", "application/json").end(
                            "{\"openapi\":\"3.0.3\",\"paths\":{\"/api/v1/units\":{\"get\":{}}},\"components\":{}}");
                    return;
                }
                if (req.path().equals("/api/v1/stock/busy")) {
                    req.response().setStatusCode(429).putHeader("Retry-After", "17")
                            .putHeader("Content-Type", "application/problem+json")
                            .end("{\"status\":429,\"code\":\"ALLOCATION_BACKLOG\"}");
                    return;
                }
                if (req.path().endsWith("/stream")) {
                    req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                    req.response().write("event: stock\ndata: {\"n\":1}\n\n");
                    VERTX.setTimer(1500, t -> req.response().end("event: stock\ndata: {\"n\":2}\n\n"));
                    return;
                }
                req.body().onSuccess(body -> req.response().putHeader("Content-Type", "application/json")
                        .end("{\"path\":\"" + req.uri() + "\",\"auth\":" + (req.getHeader("Authorization") != null)
                                + ",\"requestId\":\"" + req.getHeader("X-Request-Id") + "\",\"bodyLength\":"
                                + body.length() + ",\"traceparent\":\"" + req.getHeader("traceparent")
                                + "\",\"traceparents\":" + req.headers().getAll("traceparent").size()
                                + ",\"tracestate\":\"" + req.getHeader("tracestate") + "\"}"));
            }).listen(UPSTREAM_PORT).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
        VERTX.close();
    }

    @Test
    void routesToTheOwningServiceWithPathQueryAndToken() {
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock?component=RBC&abo=O")
                .then().statusCode(200)
                .body("path", equalTo("/api/v1/stock?component=RBC&abo=O"))
                .body("auth", equalTo(true))
                .body("requestId", notNullValue())
                .header("X-Request-Id", notNullValue());
    }

    @Test
    void aCallersTraceparentGoesOnToTheServiceInTheSameTrace() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        String forwarded = given().auth().oauth2(TestTokens.hospital("H001"))
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .header("tracestate", "hospital=h001")
                .get("/api/v1/stock?traced=1").then().statusCode(200)
                .body("traceparents", equalTo(1))
                .body("tracestate", equalTo("hospital=h001"))
                .extract().path("traceparent");
        String[] parts = forwarded.split("-");
        assertEquals(4, parts.length, forwarded);
        assertEquals(traceId, parts[1], "the service continues the caller's trace");
        org.junit.jupiter.api.Assertions.assertNotEquals(callerSpan, parts[2], "as a child of the gateway's span");
        assertEquals("01", parts[3], "sampled, as the caller asked");
    }

    @Test
    void aCallWithoutTraceparentReachesTheServiceInANewTrace() {
        String forwarded = given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock?traced=0").then()
                .statusCode(200).body("traceparents", equalTo(1)).extract().path("traceparent");
        assertTrue(forwarded.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), forwarded);
    }

    @jakarta.inject.Inject
    VerifiedTokens verifiedTokens;

    @Test
    void aTokenIsVerifiedOnceAndAnExpiredOneIsRefusedThoughItWasKept() throws InterruptedException {
        java.time.Instant expires = java.time.Instant.now().plusSeconds(3);
        String token = TestTokens.expiringAt(expires, "hospital-h009", "H009", "hospital-transfusion");
        double verified = verifiedTokens.verifications();
        double hits;
        given().auth().oauth2(token).get("/api/v1/stock").then().statusCode(200).body("auth", equalTo(true));
        assertEquals(verified + 1, verifiedTokens.verifications(), "the first call verifies the token");
        assertTrue(verifiedTokens.get(token) != null, "the verified token is kept");
        hits = verifiedTokens.hits();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/api/v1/stock?n=" + i).then().statusCode(200)
                    .body("path", equalTo("/api/v1/stock?n=" + i));
        }
        assertEquals(verified + 1, verifiedTokens.verifications(), "later calls with the same token verify nothing");
        assertEquals(hits + 3, verifiedTokens.hits());
        // a forged token is never kept, however often it comes
        String forged = TestTokens.forged("hospital-h009", "H009", "hospital-transfusion");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(forged).get("/api/v1/stock").then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        }
        long wait = expires.toEpochMilli() - System.currentTimeMillis() + 1200;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        given().auth().oauth2(token).get("/api/v1/stock").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("UNAUTHORIZED"));
        assertEquals(verified + 1, verifiedTokens.verifications());
    }

    @Test
    void aServicesTooManyRequestsPassesThroughWithItsRetryAfter() {
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock/busy").then().statusCode(429)
                .header("Retry-After", equalTo("17")).contentType("application/problem+json")
                .body("code", equalTo("ALLOCATION_BACKLOG"));
    }

    @Test
    void noTokenOrAForgedOneNeverReachesAServiceAndIsProblemJson() {
        given().get("/api/v1/stock").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("UNAUTHORIZED")).body("requestId", notNullValue());
        given().auth().oauth2(TestTokens.forged("dispatcher", "STATION", "station-dispatcher"))
                .get("/api/v1/units/X").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("UNAUTHORIZED")).body("requestId", notNullValue()).header("X-Request-Id", notNullValue());
        given().auth().oauth2(TestTokens.expired("dispatcher", "STATION", "station-dispatcher"))
                .contentType("application/json").body("{\"din\":\"x\"}")
                .post("/api/v1/units").then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void aPostBodyIsStreamedWholeAfterTheTokenCheck() {
        String body = "{\"note\":\"" + "x".repeat(200_000) + "\"}";
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body)
                .post("/api/v1/units").then().statusCode(200).body("bodyLength", equalTo(body.length()));
    }

    @Test
    void aBodyOverTheLimitIs413ProblemJsonAndIsNotForwarded() {
        String body = "{\"note\":\"" + "x".repeat(1_100_000) + "\"}";
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body)
                .post("/api/v1/units").then().statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("BODY_TOO_LARGE")).body("requestId", notNullValue());
    }

    @Test
    void corsPreflightFromTheDashboardOriginIsAnswered() {
        given().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,idempotency-key")
                .options("/api/v1/orders").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173");
    }

    @Test
    void theApisOfTheServicesAreServedAsOneDocument() {
        given().get("/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/units"))
                // only the inventory stand-in runs here: the others are named as unavailable
                .body("x-hemolink-unavailable", org.hamcrest.Matchers.hasItems("order", "fee-waiver", "notification"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void subscriptionsGoToTheNotificationService() {
        // routed (to a notification service that is not running here), not an unknown path of the gateway
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/subscriptions").then()
                .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(500));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/subscriptions/x/deliveries").then()
                .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(500));
    }

    @Test
    void unknownApiPathIsProblemJson() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/nothing-here")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void serverSentEventsAreStreamedAsTheyAreProduced() throws Exception {
        URL url = new URL(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/api/v1/stock/stream");
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setRequestProperty("Authorization", "Bearer " + TestTokens.dispatcher());
        c.setRequestProperty("Accept", "text/event-stream");
        long start = System.nanoTime();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("event: stock", in.readLine());
            long firstEventMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(firstEventMillis < 1200, "the first event arrived before the upstream finished (" + firstEventMillis + " ms)");
            assertEquals("data: {\"n\":1}", in.readLine());
        }
    }

    @Test
    void fhirMetadataNeedsNoTokenAndIsAValidR5CapabilityStatement() {
        io.restassured.response.Response r = given().accept(io.hemolink.fhir.Fhir.MEDIA_TYPE).get("/fhir/r5/metadata");
        assertEquals(200, r.statusCode());
        assertTrue(r.contentType().startsWith(io.hemolink.fhir.Fhir.MEDIA_TYPE), r.contentType());
        io.hemolink.fhir.testing.FhirValidation.assertValid(r.asString());
        var cs = io.hemolink.fhir.Fhir.context().newJsonParser()
                .parseResource(org.hl7.fhir.r5.model.CapabilityStatement.class, r.asString());
        assertEquals(java.util.List.of("BiologicallyDerivedProduct", "BiologicallyDerivedProductDispense",
                        "SupplyRequest", "SupplyDelivery"),
                cs.getRestFirstRep().getResource().stream().map(x -> x.getType()).toList());
        assertTrue(cs.getUrl().matches("http://localhost:\\d+/fhir/r5/metadata"), cs.getUrl());
    }

    @Test
    void fhirTypesGoToTheirServiceWithTheTokenCheckedFirst() {
        // BiologicallyDerivedProduct is the inventory's (the upstream here): path, query and token passed on
        given().auth().oauth2(TestTokens.his("H001"))
                .get("/fhir/r5/BiologicallyDerivedProduct?identifier=G123498654321").then().statusCode(200)
                .body("path", equalTo("/fhir/r5/BiologicallyDerivedProduct?identifier=G123498654321"))
                .body("auth", equalTo(true)).header("X-Request-Id", notNullValue());
        // BiologicallyDerivedProductDispense is the inventory's too (a route of its own, not a prefix of the product's)
        given().auth().oauth2(TestTokens.his("H001"))
                .get("/fhir/r5/BiologicallyDerivedProductDispense?product=G123498654321H-RBC").then().statusCode(200)
                .body("path", equalTo("/fhir/r5/BiologicallyDerivedProductDispense?product=G123498654321H-RBC"));
        // SupplyDelivery is the order service's, which is not running here: not the inventory's answer
        io.restassured.response.Response delivery = given().auth().oauth2(TestTokens.his("H001"))
                .get("/fhir/r5/SupplyDelivery?status=completed");
        assertTrue(delivery.statusCode() >= 500, delivery.statusCode() + " " + delivery.asString());
        assertTrue(!delivery.asString().contains("\"path\""), delivery.asString());
        // a type that only starts like a served one is served by nobody
        assertEquals(404, given().auth().oauth2(TestTokens.dispatcher())
                .get("/fhir/r5/BiologicallyDerivedProductX/1").statusCode());
        // no token, or a forged one: 401 as an OperationOutcome, nothing forwarded
        for (var request : java.util.List.of(given(),
                given().auth().oauth2(TestTokens.forged("his-h001", "H001", "his-integration")))) {
            io.restassured.response.Response r = request.get("/fhir/r5/BiologicallyDerivedProduct/x");
            assertEquals(401, r.statusCode());
            assertTrue(r.contentType().startsWith(io.hemolink.fhir.Fhir.MEDIA_TYPE), r.contentType());
            io.hemolink.fhir.testing.FhirValidation.assertValid(r.asString());
            assertTrue(r.asString().contains("\"code\":\"login\""), r.asString());
        }
        // a type no service serves: 404 OperationOutcome
        io.restassured.response.Response unknown = given().auth().oauth2(TestTokens.dispatcher()).get("/fhir/r5/Patient/1");
        assertEquals(404, unknown.statusCode());
        io.hemolink.fhir.testing.FhirValidation.assertValid(unknown.asString());
        assertTrue(unknown.asString().contains("\"code\":\"not-found\""), unknown.asString());
    }
}
