package io.hemolink.gateway;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Per-caller rate limits at the gateway: 429 problem+json with Retry-After, each caller on its own. */
@QuarkusTest
@TestProfile(GatewayRateLimitTest.TightLimits.class)
@WithTestResource(value = InfraTestResource.class, initArgs = {
        @ResourceArg(name = "postgres", value = "false"), @ResourceArg(name = "kafka", value = "false")})
class GatewayRateLimitTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // no upstream is running: an allowed request is answered by the proxy (502), a refused one never gets there
            return Map.of("hemolink.gateway.routes.inventory.url", "http://localhost:" + io.hemolink.infra.ChildProcesses.freePort(),
                    "hemolink.gateway.rate-limit.per-second", "0.2",
                    "hemolink.gateway.rate-limit.burst", "3");
        }
    }

    @Test
    void aCallerOverItsLimitGets429WithRetryAfterAndOthersAreNotAffected() {
        String hospitalA = TestTokens.hospital("H001");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(hospitalA).get("/api/v1/stock").then().statusCode(not(equalTo(429)));
        }
        given().auth().oauth2(hospitalA).get("/api/v1/stock").then().statusCode(429)
                .contentType("application/problem+json").body("code", equalTo("RATE_LIMITED"))
                .header("Retry-After", equalTo("5")).header("X-Request-Id", notNullValue());
        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/stock").then().statusCode(not(equalTo(429)));
    }
}
