package io.hemolink.e2e;

import com.sun.net.httpserver.HttpServer;
import io.hemolink.infra.DemoData;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.hemolink.e2e.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks through the gateway with real Keycloak tokens (api.md "Push"; ADR 0037): hospital-a subscribes a receiver
 * to ORDER_STATUS and gets its order's moves as signed CloudEvents, in order; hospital-b's receiver gets nothing of
 * them; the delivery log shows them delivered.
 */
@ExtendWith(Platform.class)
class WebhooksTest {

    /** A receiver on a free loopback port: the signature header and raw body of every POST, in arrival order. */
    record Received(String signature, String body) {
    }

    static HttpServer server;
    static final BlockingQueue<Received> hospitalA = new LinkedBlockingQueue<>();
    static final BlockingQueue<Received> hospitalB = new LinkedBlockingQueue<>();

    @BeforeAll
    static void receivers() throws Exception {
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(Platform.token("dispatcher"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (var e : java.util.Map.of("/a", hospitalA, "/b", hospitalB).entrySet()) {
            server.createContext(e.getKey(), exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                e.getValue().add(new Received(exchange.getRequestHeaders().getFirst("Hemolink-Signature"),
                        new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
        }
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aHospitalsReceiverGetsItsOrdersMovesSignedAndInOrderAndNoOtherHospitalDoes() throws Exception {
        String a = Platform.token("hospital-a");
        String b = Platform.token("hospital-b");
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        JsonPath subA = as(a).body("{\"url\":\"" + base + "/a\",\"events\":[\"ORDER_STATUS\"]}").post("/subscriptions")
                .then().statusCode(201).extract().jsonPath();
        String secret = subA.getString("secret");
        assertTrue(secret != null && !secret.isBlank(), "the secret is shown once");
        as(b).body("{\"url\":\"" + base + "/b\",\"events\":[\"ORDER_STATUS\"]}").post("/subscriptions")
                .then().statusCode(201);
        // another hospital's location is not its to subscribe
        as(b).body("{\"url\":\"" + base + "/b\",\"events\":[\"ORDER_STATUS\"],\"locationId\":\"H001\"}")
                .post("/subscriptions").then().statusCode(403);

        long placed = System.nanoTime();
        String orderId = as(a).body("""
                        {"locationId":"H001","priority":"ROUTINE",
                         "lines":[{"component":"FFP","abo":"AB","rhd":"POS","quantity":200}]}""")
                .post("/orders").then().statusCode(201).extract().path("id");
        as(a).body("{\"reason\":\"webhook e2e\"}").post("/orders/" + orderId + "/cancel").then().statusCode(200);

        // its moves, until the cancellation (an allocation attempt may come between: BACKORDERED)
        List<Received> moves = new java.util.ArrayList<>();
        for (Received r = next(hospitalA, orderId, Duration.ofSeconds(20)); r != null;
             r = next(hospitalA, orderId, Duration.ofSeconds(20))) {
            if (moves.isEmpty()) {
                System.out.println("[e2e] order placed -> webhook received after "
                        + Duration.ofNanos(System.nanoTime() - placed).toMillis() + " ms");
            }
            moves.add(r);
            if ("CANCELLED".equals(JsonPath.from(r.body()).getString("data.status"))) {
                break;
            }
        }
        assertTrue(moves.size() >= 2, "the submission and the cancellation are delivered: " + moves);
        for (Received r : moves) {
            assertEquals("sha256=" + hmac(secret, r.body()), r.signature(), "signed with the subscription's secret");
            JsonPath ce = JsonPath.from(r.body());
            assertEquals("1.0", ce.getString("specversion"));
            assertEquals("io.hemolink.order.status-changed.v1", ce.getString("type"));
            assertEquals("H001", ce.getString("data.locationId"));
        }
        Received submitted = moves.get(0);
        Received cancelled = moves.get(moves.size() - 1);
        assertEquals("SUBMITTED", JsonPath.from(submitted.body()).getString("data.status"), "in their order");
        assertEquals("CANCELLED", JsonPath.from(cancelled.body()).getString("data.status"));
        assertNull(next(hospitalB, orderId, Duration.ofSeconds(2)), "hospital-b receives nothing of H001's order");

        Api.await("the log shows both delivered", Duration.ofSeconds(10), () -> {
            List<String> delivered = as(a).get("/subscriptions/" + subA.getString("id") + "/deliveries").then()
                    .statusCode(200).extract().path("items.findAll { it.status == 'DELIVERED' }.eventId");
            return delivered.contains(JsonPath.from(submitted.body()).getString("id"))
                    && delivered.contains(JsonPath.from(cancelled.body()).getString("id"));
        });
    }

    /** The next delivery about {@code orderId}, skipping other orders' (earlier tests' orders of the same hospital). */
    private static Received next(BlockingQueue<Received> queue, String orderId, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            Received r = queue.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && orderId.equals(JsonPath.from(r.body()).getString("data.orderId"))) {
                return r;
            }
        }
        return null;
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
