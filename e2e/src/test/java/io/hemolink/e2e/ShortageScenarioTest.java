package io.hemolink.e2e;

import io.hemolink.infra.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static io.hemolink.e2e.Api.as;
import static io.hemolink.e2e.Api.await;
import static io.hemolink.e2e.Api.release;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 2 of the end-to-end issue: whole blood AB RhD-negative falls to RED in the region; ROUTINE orders of H001
 * and H002 are cut and the one bag left goes by need (H001 has no days of supply, H002 has some), not to whoever
 * ordered first; the alert is raised, and cleared when stock arrives.
 */
@ExtendWith(Platform.class)
class ShortageScenarioTest {

    @Test
    void aGroupAtRedIsSharedByNeedAndTheAlertClearsWhenStockArrives() throws Exception {
        String dispatcher = Platform.token("dispatcher");
        String hospitalA = Platform.token("hospital-a");
        String hospitalB = Platform.token("hospital-b");
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(dispatcher);

        // four weeks of use: 24 U transfused at H001 (none left), 6 U at H002 (1 left)
        transfused(dispatcher, hospitalA, "H001", 24);
        transfused(dispatcher, hospitalB, "H002", 6);
        release(dispatcher, "WB", "AB", "NEG", 1, 200, 10, "H002");
        String lastBag = release(dispatcher, "WB", "AB", "NEG", 1, 200, 10, "STATION");

        // pushed as it happens (api.md "Push"): hospital-b's open stock stream, the station's ALERT and RECRUITMENT
        // webhooks (the station's donor system)
        BlockingQueue<String> stream = Api.stream(hospitalB, "/stock/stream");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String secret = as(dispatcher).body("{\"url\":\"" + receiver.url("/station") + "\",\"events\":[\"ALERT\","
                    + "\"RECRUITMENT\"]}").post("/subscriptions").then().statusCode(201).extract().path("secret");

            // region: 2 U for 30 U in 28 days = 1.9 days of supply, below RED (2): raised at once
            List<Map<String, Object>> raised = as(dispatcher).post("/alerts/evaluation").then().statusCode(200)
                    .extract().path("items.findAll { it.scope == 'REGION' && it.component == 'WB' && it.abo == 'AB' && it.rhd == 'NEG' }");
            long evaluated = System.nanoTime();
            assertEquals(1, raised.size(), raised.toString());
            assertEquals("RED", raised.get(0).get("level"));
            String alertId = String.valueOf(raised.get(0).get("id"));

            String pushed = Api.poll(stream, e -> e.startsWith("alert ") && e.contains(alertId), Duration.ofSeconds(5));
            long streamed = System.nanoTime();
            assertTrue(pushed != null && pushed.contains("\"level\":\"RED\""), "the stream pushes the alert: " + pushed);
            WebhookReceiver.Received hook = receiver.next("/station",
                    j -> alertId.equals(j.getString("data.alertId")) && j.getString("type").endsWith("supply-alert-raised.v1"),
                    Duration.ofSeconds(10));
            assertTrue(hook != null && hook.signedWith(secret), "the ALERT webhook is delivered, signed: " + hook);
            WebhookReceiver.Received appeal = receiver.next("/station",
                    j -> alertId.equals(j.getString("data.alertId")) && j.getString("type").endsWith("recruitment-requested.v1"),
                    Duration.ofSeconds(10));
            assertTrue(appeal != null && appeal.json().getInt("data.unitsNeeded") > 0,
                    "the donor system is asked for units: " + (appeal == null ? null : appeal.body()));
            long toStream = Duration.ofNanos(streamed - evaluated).toMillis();
            long toHook = Duration.ofNanos(hook.nanos() - evaluated).toMillis();
            System.out.printf("[e2e] alert raised -> stream subscriber %d ms, ALERT webhook %d ms, RECRUITMENT (%d U) %d ms%n",
                    toStream, toHook, appeal.json().getInt("data.unitsNeeded"),
                    Duration.ofNanos(appeal.nanos() - evaluated).toMillis());
            assertTrue(toStream < 1000 && toHook < 3000, "pushed within a second to the stream, three to the webhook");
        }

        // H002 orders first; both ROUTINE lines are cut to 1 of 2 and the one bag goes to H001, which has none
        String fromH002 = order(hospitalB, "H002");
        String fromH001 = order(hospitalA, "H001");
        await("the shortage round has shared the bag", Duration.ofSeconds(40), () ->
                allocated(dispatcher, fromH001) == 1);
        assertEquals(List.of(lastBag), as(dispatcher).get("/orders/" + fromH001).then().extract().path("lines[0].units.din"));
        assertEquals(0, allocated(dispatcher, fromH002), "H002 has days of supply left: it waits");
        assertEquals("PARTIALLY_ALLOCATED", as(dispatcher).get("/orders/" + fromH001).then().extract().path("status"));

        // stock arrives: 10 U at the station; the region is back above YELLOW and the alert clears
        for (int i = 0; i < 10; i++) {
            release(dispatcher, "WB", "AB", "NEG", 1, 200, 2, "STATION");
        }
        List<Map<String, Object>> cleared = as(dispatcher).post("/alerts/evaluation").then().statusCode(200)
                .extract().path("items.findAll { it.scope == 'REGION' && it.component == 'WB' && it.abo == 'AB' && it.rhd == 'NEG' }");
        assertEquals(1, cleared.size(), cleared.toString());
        assertTrue(cleared.get(0).get("clearedAt") != null, "cleared: " + cleared);
        List<Object> active = as(hospitalB).queryParam("active", true).get("/alerts").then().statusCode(200)
                .extract().path("items.findAll { it.scope == 'REGION' && it.component == 'WB' && it.abo == 'AB' && it.rhd == 'NEG' }");
        assertTrue(active.isEmpty(), "no active alert for the group: " + active);

        for (String id : List.of(fromH001, fromH002)) {
            as(dispatcher).post("/orders/" + id + "/cancel").then().statusCode(200);
        }
    }

    /** {@code count} bags of 1 U released at {@code location} and transfused there, one a day over past days. */
    private static void transfused(String dispatcher, String hospital, String location, int count) {
        for (int day = 1; day <= count; day++) {
            String din = release(dispatcher, "WB", "AB", "NEG", 1, 200, 30, location);
            Instant at = Instant.now().minus(day, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            as(hospital).body("{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-%s-%d\",\"occurredAt\":\"%s\"}"
                    .formatted(location, day, at)).post("/units/" + din + "/WB/events").then().statusCode(201);
        }
    }

    private static String order(String token, String location) {
        return as(token).body("""
                        {"locationId":"%s","priority":"ROUTINE",
                         "lines":[{"component":"WB","abo":"AB","rhd":"NEG","quantity":2}]}""".formatted(location))
                .post("/orders").then().statusCode(201).extract().path("id");
    }

    private static int allocated(String token, String orderId) {
        Integer n = as(token).get("/orders/" + orderId).then().statusCode(200).extract().path("lines[0].allocatedQuantity");
        return n == null ? 0 : n;
    }
}
