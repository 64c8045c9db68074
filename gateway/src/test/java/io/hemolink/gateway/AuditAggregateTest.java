package io.hemolink.gateway;

import io.hemolink.infra.ChildProcesses;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/audit} merges the trails of the services behind the gateway (two stand-ins here, one service
 * down), newest first, page by page without losing or repeating an entry; a refusal by the services is passed on.
 */
@QuarkusTest
@TestProfile(AuditAggregateTest.WithTrails.class)
@WithTestResource(value = InfraTestResource.class, initArgs = {
        @ResourceArg(name = "postgres", value = "false"), @ResourceArg(name = "kafka", value = "false")})
class AuditAggregateTest {

    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    static final Vertx VERTX = Vertx.vertx();
    static final int INVENTORY = ChildProcesses.freePort();
    static final int ORDER = ChildProcesses.freePort();
    static final List<HttpServer> SERVERS = List.of(
            trail(INVENTORY, "inventory", 7, 0), // at T0+0, +2, +4 ... s
            trail(ORDER, "order", 5, 1));        // at T0+1, +3, +5 ... s
    static final List<String> ASKED = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static class WithTrails implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hemolink.gateway.routes.inventory.url", "http://localhost:" + INVENTORY,
                    "hemolink.gateway.routes.order.url", "http://localhost:" + ORDER,
                    "hemolink.gateway.routes.storage-point.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.fee-waiver.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.notification.url", "http://localhost:" + ChildProcesses.freePort());
        }
    }

    /** A service's trail of {@code n} entries, newest first, paged with its own cursor (the position after an entry). */
    private static HttpServer trail(int port, String service, int n, int offsetSeconds) {
        try {
            return VERTX.createHttpServer().requestHandler(req -> {
                ASKED.add(service + " " + req.uri());
                if (!req.path().equals("/api/v1/audit")) {
                    req.response().setStatusCode(404).end();
                    return;
                }
                if (!stationToken(req.getHeader("Authorization"))) {
                    req.response().setStatusCode(403).putHeader("Content-Type", "application/problem+json")
                            .end(new JsonObject().put("status", 403).put("code", "FORBIDDEN").encode());
                    return;
                }
                int limit = Integer.parseInt(req.getParam("limit"));
                int from = req.getParam("cursor") == null ? 0 : Integer.parseInt(req.getParam("cursor"));
                JsonArray items = new JsonArray();
                for (int i = from; i < Math.min(n, from + limit); i++) {
                    int seconds = offsetSeconds + 2 * (n - 1 - i);
                    items.add(new JsonObject().put("service", service).put("at", T0.plusSeconds(seconds).toString())
                            .put("actor", req.getParam("actor")).put("requestId", service + "-" + i)
                            .put("cursor", String.valueOf(i + 1)));
                }
                String next = from + limit < n ? String.valueOf(from + limit) : null;
                req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("items", items).put("nextCursor", next).encode());
            }).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stand-ins answer the station's roles only, as the services do (the gateway has checked the signature). */
    private static boolean stationToken(String authorization) {
        String jwt = authorization.substring("Bearer ".length());
        String claims = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return claims.contains("station-dispatcher");
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(HttpServer::close);
        VERTX.close();
    }

    @Test
    void theTrailsAreMergedNewestFirstPageByPageWithNothingLostOrRepeated() {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(TestTokens.dispatcher()).queryParam("limit", 3)
                    .queryParam("actor", "hospital-a");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/api/v1/audit");
            page.then().statusCode(200).body("unavailable", hasItems("storage-point", "fee-waiver", "notification"));
            List<Map<String, Object>> items = page.path("items");
            assertTrue(items.size() <= 3);
            all.addAll(items);
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null && pages < 20);
        assertEquals(12, all.size(), "7 + 5 entries");
        Set<Object> ids = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            assertTrue(ids.add(all.get(i).get("requestId")), "no entry twice");
            assertEquals("hospital-a", all.get(i).get("actor"), "filters reach every service");
            if (i > 0) {
                assertFalse(Instant.parse((String) all.get(i).get("at"))
                        .isAfter(Instant.parse((String) all.get(i - 1).get("at"))), "newest first");
            }
        }
        assertEquals("inventory-0", all.get(0).get("requestId"));
        assertEquals("inventory-6", all.get(11).get("requestId"));
    }

    @Test
    void aRefusalOfTheServicesIsPassedOnAndBadParametersAreProblems() {
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/audit").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("FORBIDDEN"));
        given().get("/api/v1/audit").then().statusCode(401);
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("limit", 0).get("/api/v1/audit")
                .then().statusCode(422).body("code", equalTo("INVALID_VALUE"));
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("cursor", "not-ours").get("/api/v1/audit")
                .then().statusCode(400).body("code", equalTo("CURSOR_INVALID"));
    }
}
