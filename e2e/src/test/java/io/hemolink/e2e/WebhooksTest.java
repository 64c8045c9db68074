package io.hemolink.e2e;

import io.hemolink.infra.DemoData;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(Platform.token("dispatcher"));
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aHospitalsReceiverGetsItsOrdersMovesSignedAndInOrderAndNoOtherHospitalDoes() throws Exception {
        String a = Platform.token("hospital-a");
        String b = Platform.token("hospital-b");
        JsonPath subA = as(a).body("{\"url\":\"" + receiver.url("/a") + "\",\"events\":[\"ORDER_STATUS\"]}")
                .post("/subscriptions").then().statusCode(201).extract().jsonPath();
        String secret = subA.getString("secret");
        assertTrue(secret != null && !secret.isBlank(), "the secret is shown once");
        as(b).body("{\"url\":\"" + receiver.url("/b") + "\",\"events\":[\"ORDER_STATUS\"]}").post("/subscriptions")
                .then().statusCode(201);
        // another hospital's location is not its to subscribe
        as(b).body("{\"url\":\"" + receiver.url("/b") + "\",\"events\":[\"ORDER_STATUS\"],\"locationId\":\"H001\"}")
                .post("/subscriptions").then().statusCode(403);

        long placed = System.nanoTime();
        String orderId = as(a).body("""
                        {"locationId":"H001","priority":"ROUTINE",
                         "lines":[{"component":"FFP","abo":"AB","rhd":"POS","quantity":200}]}""")
                .post("/orders").then().statusCode(201).extract().path("id");
        as(a).body("{\"reason\":\"webhook e2e\"}").post("/orders/" + orderId + "/cancel").then().statusCode(200);

        // its moves, until the cancellation (an allocation attempt may come between: BACKORDERED)
        List<WebhookReceiver.Received> moves = new ArrayList<>();
        for (WebhookReceiver.Received r = next("/a", orderId); r != null; r = next("/a", orderId)) {
            moves.add(r);
            if ("CANCELLED".equals(r.json().getString("data.status"))) {
                break;
            }
        }
        assertTrue(moves.size() >= 2, "the submission and the cancellation are delivered: " + moves);
        System.out.println("[e2e] order placed -> its webhook received after "
                + Duration.ofNanos(moves.get(0).nanos() - placed).toMillis() + " ms");
        for (WebhookReceiver.Received r : moves) {
            assertTrue(r.signedWith(secret), "signed with the subscription's secret: " + r.signature());
            assertEquals("1.0", r.json().getString("specversion"));
            assertEquals("io.hemolink.order.status-changed.v1", r.json().getString("type"));
            assertEquals("H001", r.json().getString("data.locationId"));
        }
        assertEquals("SUBMITTED", moves.get(0).json().getString("data.status"), "in their order");
        assertEquals("CANCELLED", moves.get(moves.size() - 1).json().getString("data.status"));
        assertNull(receiver.next("/b", j -> orderId.equals(j.getString("data.orderId")), Duration.ofSeconds(2)),
                "hospital-b receives nothing of H001's order");

        List<String> ids = moves.stream().map(r -> r.json().getString("id")).toList();
        Api.await("the log shows them delivered", Duration.ofSeconds(10), () -> {
            List<String> delivered = as(a).get("/subscriptions/" + subA.getString("id") + "/deliveries").then()
                    .statusCode(200).extract().path("items.findAll { it.status == 'DELIVERED' }.eventId");
            return delivered.containsAll(ids);
        });
    }

    private static WebhookReceiver.Received next(String path, String orderId) throws InterruptedException {
        return receiver.next(path, j -> orderId.equals(j.getString("data.orderId")), Duration.ofSeconds(20));
    }
}
