package io.hemolink.common.testing;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

/**
 * What every service must show, inherited by one small test class per service (which adds {@code @QuarkusTest} and
 * its database): it starts on real PostgreSQL and Kafka, migrates, reports itself ready, serves metrics and OpenAPI,
 * and answers problem+json without a token.
 */
public abstract class ServiceBasicsTest {

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

    @Test
    void apiWithoutATokenIsRefusedAsProblemJson() {
        given().get("/api/v1/no-such-resource").then().statusCode(anyOf(equalTo(401), equalTo(404)))
                .contentType("application/problem+json");
    }
}
