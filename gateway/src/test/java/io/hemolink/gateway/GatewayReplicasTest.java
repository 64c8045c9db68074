package io.hemolink.gateway;

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
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route with several instances (ADR 0036): calls spread across the instances that answer; an instance that is down
 * (never started, or killed during the test) gets no call that fails, because a refused connection is tried on the
 * next instance before anything is sent.
 */
@QuarkusTest
@TestProfile(GatewayReplicasTest.ThreeInstances.class)
@WithTestResource(value = InfraTestResource.class, initArgs = {
        @ResourceArg(name = "postgres", value = "false"), @ResourceArg(name = "kafka", value = "false")})
class GatewayReplicasTest {

    // the test class is loaded twice (by JUnit and by Quarkus): the ports are the JVM's, chosen once
    static final int A = port("a");
    static final int B = port("b");
    static final int DOWN = port("down");

    private static int port(String name) {
        String key = "hemolink.test.replicas." + name;
        synchronized (System.getProperties()) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, String.valueOf(ChildProcesses.freePort()));
            }
            return Integer.getInteger(key);
        }
    }

    public static class ThreeInstances implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hemolink.gateway.routes.inventory.url",
                    "http://localhost:" + A + ",http://localhost:" + DOWN + ",http://localhost:" + B,
                    "hemolink.gateway.routes.order.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.storage-point.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.fee-waiver.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.routes.notification.url", "http://localhost:" + ChildProcesses.freePort(),
                    "hemolink.gateway.rate-limit.enabled", "false");
        }
    }

    /** Each instance on a Vert.x of its own: closing it drops its open connections too, as a kill -9 does. */
    private static HttpServer instance(Vertx vertx, String name, int port) {
        try {
            return vertx.createHttpServer().requestHandler(req -> req.response()
                            .putHeader("Content-Type", "application/json").end("{\"instance\":\"" + name + "\"}"))
                    .listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }


    private static Map<String, Integer> calls(int n) {
        String token = TestTokens.dispatcher();
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String instance = given().auth().oauth2(token).get("/api/v1/units/x").then().statusCode(200).extract()
                    .path("instance");
            served.merge(instance, 1, Integer::sum);
        }
        return served;
    }

    @Test
    void callsSpreadAcrossTheLiveInstancesAndNoneFailsWhenOneIsDown() throws Exception {
        Vertx vertxA = Vertx.vertx();
        Vertx vertxB = Vertx.vertx();
        try {
            instance(vertxA, "a", A);
            instance(vertxB, "b", B);
            spreadAndFailOver(vertxA);
        } finally {
            vertxA.close();
            vertxB.close();
        }
    }

    private void spreadAndFailOver(Vertx vertxA) throws Exception {
        Map<String, Integer> served = calls(200);
        System.out.println("200 calls, three instances, one never started: " + served);
        assertEquals(200, served.values().stream().mapToInt(Integer::intValue).sum(), "every call answered");
        assertTrue(served.getOrDefault("a", 0) >= 20 && served.getOrDefault("b", 0) >= 20,
                "both live instances take a share: " + served);

        vertxA.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); // killed
        Map<String, Integer> after = calls(50);
        System.out.println("50 calls after instance a went down: " + after);
        assertEquals(Map.of("b", 50), after, "the instance left answers every call");
    }
}
