package io.hemolink.order;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.inventory.ReturnDecided;
import io.hemolink.contracts.events.order.ReturnRequested;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.order.domain.StandingOrders;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newDin;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.send;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Returns answered by a stand-in inventory over Kafka, and standing orders placed by the placer. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class ReturnsAndStandingOrdersTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    StandingOrders standingOrders;

    private static String returnJson(String din, boolean seal, int minutes) {
        return "{\"din\":\"" + din + "\",\"component\":\"RBC_LR\",\"sealIntact\":" + seal
                + ",\"segmentAttached\":true,\"minutesOutOfStorage\":" + minutes + ",\"reason\":\"surgery cancelled\"}";
    }

    @Test
    void aReturnIsAnsweredWithTheInventorysDecisionWhenItComesInTime() throws Exception {
        String h = newHospital();
        String din = newDin();
        // the stand-in inventory: reads the request from the order topic and decides
        CompletableFuture<ReturnRequested> inventory = CompletableFuture.supplyAsync(() -> {
            List<ConsumerRecord<String, String>> found = KafkaProbe.read(Topics.ORDERS, r -> din.equals(r.key())
                    && Events.RETURN_REQUESTED.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), 1,
                    Duration.ofSeconds(20));
            try {
                ReturnRequested req = OrderTesting.mapper().readValue(found.get(0).value(), ReturnRequested.class);
                send(Events.RETURN_DECIDED, req.returnId(), new ReturnDecided(req.returnId(), din, h,
                        ReturnDecided.Decision.RETURNED_TO_STOCK, "seal intact, segment attached, 10 min out of storage",
                        Instant.now()));
                return req;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(3000); // let the stand-in's consumer join before the request goes out
        String id = given().auth().oauth2(TestTokens.hospital(h)).contentType("application/json")
                .body(returnJson(din, true, 10)).post("/api/v1/returns").then().statusCode(201)
                .body("decision", equalTo("RETURNED_TO_STOCK")).body("status", equalTo("DECIDED"))
                .body("reason", equalTo("seal intact, segment attached, 10 min out of storage"))
                .extract().path("returnId");
        ReturnRequested req = inventory.get();
        assertEquals(id, req.returnId());
        assertEquals(h, req.locationId());
        assertTrue(req.sealIntact());
        assertEquals(10, req.minutesOutOfStorage());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/returns/" + id).then().statusCode(200)
                .body("decision", equalTo("RETURNED_TO_STOCK"));
        given().auth().oauth2(TestTokens.hospital(newHospital())).get("/api/v1/returns/" + id).then().statusCode(404);
    }

    @Test
    void aReturnWithoutADecisionInTimeIsAcceptedAndDecidedLater() {
        String h = newHospital();
        String din = newDin();
        String token = TestTokens.hospital(h);
        String body = returnJson(din, false, 45);
        String id = given().auth().oauth2(token).header("Idempotency-Key", "ret-" + din).contentType("application/json")
                .body(body).post("/api/v1/returns").then().statusCode(202)
                .body("status", equalTo("PENDING")).body("decision", nullValue())
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/returns/RET-"))
                .extract().path("returnId");
        given().auth().oauth2(token).get("/api/v1/returns/" + id).then().statusCode(200).body("status", equalTo("PENDING"));
        ReturnRequested req = OrderTesting.event(Events.RETURN_REQUESTED, din);
        assertEquals(id, req.returnId());

        send(Events.RETURN_DECIDED, id, new ReturnDecided(id, din, h, ReturnDecided.Decision.DISCARDED,
                "returned-not-reusable: seal broken", Instant.now()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && given().auth().oauth2(token).get("/api/v1/returns/" + id).then().extract()
                .path("decision") == null) {
            OrderTesting.sleep(100);
        }
        given().auth().oauth2(token).get("/api/v1/returns/" + id).then().body("decision", equalTo("DISCARDED"))
                .body("reason", equalTo("returned-not-reusable: seal broken")).body("returnReason", equalTo("surgery cancelled"));
        // the same key and body again: the same return, now decided, at once
        given().auth().oauth2(token).header("Idempotency-Key", "ret-" + din).contentType("application/json")
                .body(body).post("/api/v1/returns").then().statusCode(201).body("returnId", equalTo(id))
                .body("decision", equalTo("DISCARDED"));
        // bad input and the wrong role
        post(token, "/returns", returnJson("G12342600000", true, 5)).statusCode(422).body("code", equalTo("DIN_INVALID"));
        post(token, "/returns", returnJson(din, true, -5)).statusCode(422).body("code", equalTo("VALIDATION_FAILED"));
        post(token, "/returns", "{\"din\":\"" + din + "\"}").statusCode(422).body("code", equalTo("VALIDATION_FAILED"));
        post(TestTokens.dispatcher(), "/returns", returnJson(din, true, 5)).statusCode(403);
    }

    @Test
    void aStandingOrderIsPlacedOncePerOccurrenceAcrossPlacerRuns() {
        String h = newHospital();
        String token = TestTokens.hospital(h);
        Instant now = Instant.now();
        LocalTime at = now.plus(2, ChronoUnit.MINUTES).atZone(ZONE).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
        String body = "{\"locationId\":\"" + h + "\",\"daysOfWeek\":[\"MONDAY\",\"TUESDAY\",\"WEDNESDAY\",\"THURSDAY\","
                + "\"FRIDAY\",\"SATURDAY\",\"SUNDAY\"],\"timeOfDay\":\"" + at + "\",\"priority\":\"ROUTINE\",\"lines\":["
                + line("RBC_LR", "O", "POS", 4) + "]}";
        String id = given().auth().oauth2(token).header("Idempotency-Key", "so-" + h).contentType("application/json").body(body)
                .post("/api/v1/standing-orders").then().statusCode(201).body("zone", equalTo("Asia/Shanghai"))
                .body("daysOfWeek", hasSize(7)).body("lines[0].quantity", equalTo(4)).body("active", equalTo(true))
                .extract().path("id");

        // before its time nothing is placed; after it, one order, however often the placer runs (a restart included)
        Instant before = now.plusSeconds(30);
        assertEquals(List.of(), standingOrders.placeDue(before));
        assertEquals(List.of(), orderIdsOf(h));
        Instant later = now.plus(5, ChronoUnit.MINUTES);
        List<String> first = standingOrders.placeDue(later);
        List<String> second = standingOrders.placeDue(later.plus(1, ChronoUnit.MINUTES));
        List<String> placed = orderIdsOf(h);
        assertEquals(1, placed.size(), "one order for today's occurrence");
        assertTrue(first.contains(placed.get(0)));
        assertTrue(!second.contains(placed.get(0)));
        given().auth().oauth2(token).get("/api/v1/orders/" + placed.get(0)).then()
                .body("standingOrderId", equalTo(id)).body("priority", equalTo("ROUTINE"))
                .body("lines[0].component", equalTo("RBC_LR")).body("history[0].actor", equalTo(StandingOrders.ACTOR));
        given().auth().oauth2(token).get("/api/v1/standing-orders/" + id).then()
                .body("occurrences", hasSize(1)).body("occurrences[0].orderId", equalTo(placed.get(0)));
        given().auth().oauth2(token).get("/api/v1/standing-orders").then().body("items.id", contains(id));

        // other hospitals do not see it; deleted, it places nothing more
        given().auth().oauth2(TestTokens.hospital(newHospital())).get("/api/v1/standing-orders/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.hospital(newHospital())).delete("/api/v1/standing-orders/" + id).then().statusCode(404);
        given().auth().oauth2(token).delete("/api/v1/standing-orders/" + id).then().statusCode(204);
        standingOrders.placeDue(later.plus(1, ChronoUnit.DAYS));
        assertEquals(1, orderIdsOf(h).size());
        given().auth().oauth2(token).get("/api/v1/standing-orders").then().body("items", hasSize(0));

        // bad definitions
        post(token, "/standing-orders", body.replace("\"MONDAY\"", "\"MONTAG\"")).statusCode(422).body("code", equalTo("INVALID_VALUE"));
        post(token, "/standing-orders", body.replace(at.toString(), "25:00")).statusCode(422).body("code", equalTo("INVALID_VALUE"));
        post(token, "/standing-orders", body.replace("\"daysOfWeek\":[", "\"daysOfWeek\":[],\"x\":[")).statusCode(422)
                .body("code", equalTo("VALIDATION_FAILED"));
        post(token, "/standing-orders", body.replace("\"quantity\":4", "\"quantity\":400")).statusCode(422)
                .body("code", equalTo("QUANTITY_TOO_LARGE"));
        post(TestTokens.hospital(newHospital()), "/standing-orders", body).statusCode(403);
    }

    private static List<String> orderIdsOf(String h) {
        return given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders").then().statusCode(200)
                .extract().path("items.id");
    }
}
