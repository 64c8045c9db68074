package io.hemolink.order;

import io.hemolink.common.testing.SseProbe;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;

import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.submit;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /orders/stream}: an order's status moves reach a subscriber (the delay is printed), in order, and a
 * subscriber sees only the orders it may see.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class OrderStreamTest {

    @TestHTTPResource("/api/v1/orders/stream")
    URL stream;

    /** Subscribes and collects its events ({@code order {...}}), once a warm-up order of {@code hospital} shows. */
    private BlockingQueue<String> subscribe(String token, String hospital) throws Exception {
        BlockingQueue<String> events = SseProbe.subscribe(stream.toString(), token);
        // the live consumer reads from "latest" once its group has joined: order until one move shows
        for (int attempt = 0; attempt < 15; attempt++) {
            String id = submit(hospital, orderJson(hospital, "ROUTINE", line("FFP", "AB", "POS", 200)));
            if (poll(events, id, Duration.ofSeconds(2)) != null) {
                events.clear();
                return events;
            }
        }
        throw new AssertionError("the order stream never delivered a warm-up move");
    }

    private static String poll(BlockingQueue<String> events, String containing, Duration timeout) throws InterruptedException {
        return SseProbe.poll(events, containing, timeout);
    }

    @Test
    void movesReachTheStationAndTheOwnerOnly() throws Exception {
        String a = newHospital();
        String b = newHospital();
        BlockingQueue<String> station = subscribe(TestTokens.dispatcher(), a);
        BlockingQueue<String> own = subscribe(TestTokens.hospital(a), a);
        station.clear();

        long t0 = System.nanoTime();
        String id = submit(a, orderJson(a, "EMERGENCY", line("RBC_LR", "O", "NEG", 2)));
        String submitted = poll(own, "\"id\":\"" + id + "\"", Duration.ofSeconds(5));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertNotNull(submitted, "the owner sees its order");
        assertTrue(submitted.contains("\"status\":\"SUBMITTED\"") && submitted.contains("\"priority\":\"EMERGENCY\"")
                && submitted.contains("\"locationId\":\"" + a + "\"") && !submitted.contains("\"previous\":\"")
                && !submitted.contains("actor"), submitted);
        System.out.printf("order submitted -> SSE subscriber: %d ms (including the HTTP round trip of the submission)%n", millis);

        post(TestTokens.hospital(a), "/orders/" + id + "/cancel", "{\"reason\":\"stream test\"}").statusCode(200);
        String cancelled = poll(own, "\"status\":\"CANCELLED\"", Duration.ofSeconds(5));
        assertNotNull(cancelled, "the cancellation is pushed");
        assertTrue(cancelled.contains("\"previous\":\"SUBMITTED\"") && cancelled.contains("stream test"), cancelled);

        String other = submit(b, orderJson(b, "ROUTINE", line("RBC_LR", "O", "POS", 1)));
        assertNotNull(poll(station, "\"id\":\"" + other + "\"", Duration.ofSeconds(5)), "the station sees every order");
        assertNull(poll(own, "\"id\":\"" + other + "\"", Duration.ofSeconds(1)), a + " never sees " + b + "'s order");
    }
}
