package io.hemolink.common.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hemolink.infra.TestTokens;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every service must show, inherited by one small test class per service (which adds {@code @QuarkusTest} and
 * its database): it starts on real PostgreSQL and Kafka, migrates, reports itself ready, serves metrics and OpenAPI,
 * answers problem+json without a token, and serves exactly the OpenAPI committed in contracts/openapi/.
 */
public abstract class ServiceBasicsTest {

    /** Set {@code -Dhemolink.openapi.update=true} to rewrite the committed spec after an intended API change. */
    private static final boolean UPDATE = Boolean.getBoolean("hemolink.openapi.update");

    /** The service's name, which is also its spec's file name: contracts/openapi/NAME.json. */
    protected abstract String serviceName();

    @Test
    void servedOpenApiIsTheCommittedContract() throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        String served = mapper.writeValueAsString(mapper.readValue(
                given().get("/q/openapi?format=json").then().statusCode(200).extract().asString(), Map.class)) + "\n";
        Path committed = Path.of("../../contracts/openapi", serviceName() + ".json");
        if (UPDATE) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, served);
        }
        assertTrue(Files.exists(committed), committed + " is missing: run the tests once with -Dhemolink.openapi.update=true");
        assertEquals(Files.readString(committed), served, "the served OpenAPI drifted from " + committed
                + "; if the change is intended, run with -Dhemolink.openapi.update=true and commit the file");
    }

    @Test
    void theStationReadsTheAuditTrailAndNoOneElse() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/audit").then().statusCode(200);
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    void readinessChecksTheDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check"));
    }

    @Test
    void metricsIncludeTheOutboxAndOpenApiIsServed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("hemolink_outbox_pending"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", startsWith("3."));
    }

    /**
     * ADR 0040: the service verifies a bearer token once and answers its later calls from what it kept, until the
     * token expires; a forged token is never kept; an expired one is refused though it was kept.
     */
    @Test
    void aTokenIsVerifiedOnceAndRefusedOnceItExpires() throws InterruptedException {
        double verified = counter("hemolink_token_verifications_total");
        double hits = counter("hemolink_token_cache_hits_total");
        java.time.Instant expires = java.time.Instant.now().plusSeconds(8);
        String token = TestTokens.expiringAt(expires, "dispatcher-" + serviceName(), "STATION", "station-dispatcher");
        given().auth().oauth2(token).get("/api/v1/audit").then().statusCode(200);
        assertEquals(verified + 1, counter("hemolink_token_verifications_total"), "the first call verifies the token");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/api/v1/audit?limit=" + (i + 1)).then().statusCode(200);
        }
        assertEquals(verified + 1, counter("hemolink_token_verifications_total"), "later calls verify nothing");
        assertEquals(hits + 3, counter("hemolink_token_cache_hits_total"));
        String forged = TestTokens.forged("dispatcher-" + serviceName(), "STATION", "station-dispatcher");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(forged).get("/api/v1/audit").then().statusCode(401);
        }
        assertEquals(verified + 1, counter("hemolink_token_verifications_total"), "a forged token is never kept");
        long wait = expires.toEpochMilli() - System.currentTimeMillis() + 1200;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        given().auth().oauth2(token).get("/api/v1/audit").then().statusCode(401);
    }

    /** A counter of the service's Prometheus metrics, 0 before it first counts. */
    private static double counter(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .map(l -> l.contains(" # ") ? l.substring(0, l.indexOf(" # ")) : l) // an exemplar after the value
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void apiWithoutATokenIsRefusedAsProblemJson() {
        given().get("/api/v1/no-such-resource").then().statusCode(anyOf(equalTo(401), equalTo(404)))
                .contentType("application/problem+json");
    }
}
