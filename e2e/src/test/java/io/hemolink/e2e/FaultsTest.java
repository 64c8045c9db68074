package io.hemolink.e2e;

import io.hemolink.infra.DemoData;
import io.hemolink.infra.LocalStack;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hemolink.e2e.Api.as;
import static io.hemolink.e2e.Api.await;
import static io.hemolink.e2e.Api.release;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults in the middle of a run of orders: the inventory service is killed (SIGKILL) while orders keep coming, then the
 * Kafka broker is killed while orders keep coming; both come back. Every order is still allocated, exactly once, and
 * no bag is given to two orders.
 */
@ExtendWith(Platform.class)
@Order(Integer.MAX_VALUE) // last: the other scenarios need not wait for a recovering platform
class FaultsTest {

    static final int ORDERS = 18;

    @Test
    void ordersPlacedWhileTheInventoryAndThenKafkaAreDownAreAllocatedOnceAndNothingIsLost() throws Exception {
        LocalStack stack = Platform.stack();
        String dispatcher = Platform.token("dispatcher");
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(dispatcher);
        Map<String, String> hospitals = Map.of("H001", Platform.token("hospital-a"), "H002", Platform.token("hospital-b"));
        Set<String> stock = new HashSet<>();
        for (int i = 0; i < ORDERS; i++) {
            stock.add(release(dispatcher, "RBC", "A", "NEG", 1, 200, 10, "STATION"));
        }

        List<String> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            if (i == ORDERS / 3) {
                stack.killService("inventory");
            }
            if (i == 2 * ORDERS / 3) {
                stack.restartService("inventory");
                stack.killKafka();
            }
            String location = i % 2 == 0 ? "H001" : "H002";
            orders.add(as(hospitals.get(location)).header("Idempotency-Key", "faults-" + i)
                    .body("""
                            {"locationId":"%s","priority":"URGENT",
                             "lines":[{"component":"RBC","abo":"A","rhd":"NEG","quantity":1}]}""".formatted(location))
                    .post("/orders").then().statusCode(201).extract().path("id"));
        }
        stack.restartKafka();

        await("every order allocated", Duration.ofSeconds(180), () -> orders.stream().allMatch(id ->
                "ALLOCATED".equals(as(dispatcher).get("/orders/" + id).then().extract().path("status"))));

        Set<String> given = new HashSet<>();
        for (String id : orders) {
            var order = as(dispatcher).get("/orders/" + id).then().statusCode(200).extract();
            List<String> bags = order.path("lines[0].units.din");
            assertEquals(1, bags.size(), "one bag for order " + id);
            assertTrue(given.add(bags.get(0)), "bag " + bags.get(0) + " given twice");
            List<String> statuses = order.path("history.status");
            assertEquals(1, statuses.stream().filter("ALLOCATED"::equals).count(),
                    "allocated once, however often its events were delivered: " + statuses);
            as(dispatcher).get("/units/" + bags.get(0) + "/RBC").then().body("status", equalTo("RESERVED"))
                    .body("orderId", equalTo(id));
        }
        assertEquals(stock, given, "exactly the released bags, each once");
    }
}
