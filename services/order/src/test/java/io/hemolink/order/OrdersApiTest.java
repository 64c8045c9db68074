package io.hemolink.order;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The orders API: idempotency, tenancy, validation and lists, on real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class OrdersApiTest {

    private static List<String> ordersOf(String hospital) {
        return given().auth().oauth2(TestTokens.hospital(hospital)).get("/api/v1/orders?limit=500").then().statusCode(200)
                .extract().path("items.id");
    }

    @Test
    void theSameIdempotencyKeyAndBodyGiveTheSameOrderAndAnotherBodyIsRefused() {
        String h = newHospital();
        String body = orderJson(h, "URGENT", line("RBC", "O", "POS", 2));
        String first = given().auth().oauth2(TestTokens.hospital(h)).header("Idempotency-Key", "order-1")
                .contentType("application/json").body(body).post("/api/v1/orders").then().statusCode(201)
                .extract().path("id");
        given().auth().oauth2(TestTokens.hospital(h)).header("Idempotency-Key", "order-1")
                .contentType("application/json").body(body).post("/api/v1/orders").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("id", equalTo(first));
        given().auth().oauth2(TestTokens.hospital(h)).header("Idempotency-Key", "order-1")
                .contentType("application/json").body(orderJson(h, "URGENT", line("RBC", "O", "POS", 3)))
                .post("/api/v1/orders").then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(List.of(first), ordersOf(h));
        // without a key, the same body is a second order
        assertNotEquals(first, submit(h, body));
        assertEquals(2, ordersOf(h).size());
    }

    @Test
    void anotherHospitalsOrderDoesNotExistForYouAndYouMayOnlyOrderForYourself() {
        String a = newHospital();
        String b = newHospital();
        String id = submit(a, orderJson(a, "ROUTINE", line("FFP", "AB", "POS", 200)));
        String tokenB = TestTokens.hospital(b);
        given().auth().oauth2(tokenB).get("/api/v1/orders/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
        post(tokenB, "/orders/" + id + "/cancel", "{}").statusCode(404);
        post(tokenB, "/orders/" + id + "/receipt", "{\"units\":[{\"din\":\"" + OrderTesting.newDin()
                + "\",\"component\":\"FFP\",\"accepted\":true}]}").statusCode(404);
        given().auth().oauth2(tokenB).accept("application/json").get("/api/v1/orders/" + id + "/issue-note").then().statusCode(404);
        post(tokenB, "/orders", orderJson(a, "ROUTINE", line("FFP", "AB", "POS", 200))).statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("LOCATION_NOT_YOURS"));
        given().auth().oauth2(tokenB).get("/api/v1/orders?locationId=" + a).then().statusCode(403);
        given().auth().oauth2(tokenB).get("/api/v1/orders").then().statusCode(200).body("items", hasSize(0));
        // HIS of hospital A and the station see it
        given().auth().oauth2(TestTokens.his(a)).get("/api/v1/orders/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders?locationId=" + a).then().statusCode(200)
                .body("items.id", contains(id));
        // roles that have nothing to do with orders
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/orders/" + id).then().statusCode(403)
                .contentType("application/problem+json");
        given().get("/api/v1/orders/" + id).then().statusCode(401).contentType("application/problem+json");
        assertEquals(List.of(id), ordersOf(a));
    }

    @Test
    void ordersForUnknownOrUnorderableLocationsAreRefused() {
        post(TestTokens.dispatcher(), "/orders", orderJson("H999", "URGENT", line("RBC", "O", "POS", 2))).statusCode(422)
                .body("code", equalTo("LOCATION_UNKNOWN")).body("errors[0].field", equalTo("locationId"));
        post(TestTokens.dispatcher(), "/orders", orderJson("STATION", "URGENT", line("RBC", "O", "POS", 2))).statusCode(422)
                .body("code", equalTo("LOCATION_NOT_ORDERABLE"));
        // the station orders on a hospital's behalf
        String h = newHospital();
        post(TestTokens.dispatcher(), "/orders", orderJson(h, "URGENT", line("RBC", "O", "POS", 2))).statusCode(201)
                .body("history[0].actor", equalTo("dispatcher"));
    }

    @Test
    void everyBadInputIsAProblemAndChangesNothing() {
        String h = newHospital();
        String token = TestTokens.hospital(h);
        String past = Instant.now().minus(2, ChronoUnit.HOURS).toString();
        String farAhead = Instant.now().plus(400, ChronoUnit.DAYS).toString();
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[]{"{\"locationId\":", 400, "MALFORMED_JSON"});
        cases.add(new Object[]{"[]", 400, "MALFORMED_JSON"});
        cases.add(new Object[]{orderJson(h, "SOON", line("RBC", "O", "POS", 2)), 422, "INVALID_VALUE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("BLOOD", "O", "POS", 2)), 422, "INVALID_VALUE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "C", "POS", 2)), 422, "INVALID_VALUE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POSITIVE", 2)), 422, "INVALID_VALUE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", -1)), 422, "VALIDATION_FAILED"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", 0)), 422, "VALIDATION_FAILED"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", 51)), 422, "QUANTITY_TOO_LARGE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("PLT_AP", "O", "POS", 21)), 422, "QUANTITY_TOO_LARGE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", 2).replace("2}", "\"two\"}")), 422, "INVALID_VALUE"});
        cases.add(new Object[]{orderJson(h, "URGENT", ""), 422, "VALIDATION_FAILED"});
        cases.add(new Object[]{"{\"locationId\":\"" + h + "\",\"lines\":[" + line("RBC", "O", "POS", 2) + "]}", 422, "VALIDATION_FAILED"});
        cases.add(new Object[]{"{\"priority\":\"URGENT\",\"lines\":[" + line("RBC", "O", "POS", 2) + "]}", 422, "VALIDATION_FAILED"});
        cases.add(new Object[]{orderJson(h, "URGENT", "{\"component\":\"RBC\",\"abo\":\"O\",\"quantity\":2}"), 422, "VALIDATION_FAILED"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", 2)).replace("{\"locationId\"",
                "{\"neededBy\":\"tomorrow morning\",\"locationId\""), 422, "INVALID_VALUE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", 2)).replace("{\"locationId\"",
                "{\"neededBy\":\"2026-13-45T99:00:00Z\",\"locationId\""), 422, "INVALID_VALUE"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", 2)).replace("{\"locationId\"",
                "{\"neededBy\":\"" + past + "\",\"locationId\""), 422, "NEEDED_BY_IN_PAST"});
        cases.add(new Object[]{orderJson(h, "URGENT", line("RBC", "O", "POS", 2)).replace("{\"locationId\"",
                "{\"neededBy\":\"" + farAhead + "\",\"locationId\""), 422, "NEEDED_BY_TOO_FAR"});
        for (Object[] c : cases) {
            given().auth().oauth2(token).contentType("application/json").body((String) c[0]).post("/api/v1/orders").then()
                    .statusCode((Integer) c[1]).contentType("application/problem+json").body("code", equalTo(c[2]))
                    .body("detail", not(org.hamcrest.Matchers.containsString("io.hemolink")))
                    .body("detail", not(org.hamcrest.Matchers.containsString("Exception")));
        }
        given().auth().oauth2(token).contentType("application/json").body(orderJson(h, "URGENT", line("RBC", "O", "POS", -1)))
                .post("/api/v1/orders").then().body("errors.field", hasItem("lines[0].quantity"));
        given().auth().oauth2(token).header("Idempotency-Key", "x".repeat(65)).contentType("application/json")
                .body(orderJson(h, "URGENT", line("RBC", "O", "POS", 2))).post("/api/v1/orders").then().statusCode(400)
                .body("code", equalTo("IDEMPOTENCY_KEY_INVALID"));
        given().auth().oauth2(token).get("/api/v1/orders?status=LOST").then().statusCode(422).body("code", equalTo("INVALID_VALUE"));
        given().auth().oauth2(token).get("/api/v1/orders?limit=501").then().statusCode(422);
        given().auth().oauth2(token).get("/api/v1/orders?cursor=!!").then().statusCode(400).body("code", equalTo("CURSOR_INVALID"));
        assertEquals(List.of(), ordersOf(h), "no bad request left an order behind");
        // a neededBy with an offset is fine
        String soon = Instant.now().plus(3, ChronoUnit.HOURS).atOffset(java.time.ZoneOffset.ofHours(8)).toString();
        given().auth().oauth2(token).contentType("application/json").body(orderJson(h, "ROUTINE", line("RBC", "O", "POS", 2))
                .replace("{\"locationId\"", "{\"neededBy\":\"" + soon + "\",\"locationId\"")).post("/api/v1/orders").then()
                .statusCode(201).body("neededBy", equalTo(Instant.parse(java.time.OffsetDateTime.parse(soon).toInstant().toString()).toString()))
                .body("allowSubstitution", equalTo(false)).body("notes", nullValue());
    }

    @Test
    void listsPageWithACursorAndFilterByStatus() {
        String h = newHospital();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(h, orderJson(h, "ROUTINE", line("CRYO", "O", "POS", i + 1))));
        }
        post(TestTokens.hospital(h), "/orders/" + ids.get(1) + "/cancel", "{}").statusCode(200);
        String token = TestTokens.hospital(h);
        var page1 = given().auth().oauth2(token).get("/api/v1/orders?limit=2").then().statusCode(200)
                .body("items.id", contains(ids.get(4), ids.get(3))).extract();
        String cursor = page1.path("nextCursor");
        var page2 = given().auth().oauth2(token).get("/api/v1/orders?limit=2&cursor=" + cursor).then()
                .body("items.id", contains(ids.get(2), ids.get(1))).extract();
        given().auth().oauth2(token).get("/api/v1/orders?limit=2&cursor=" + page2.path("nextCursor")).then()
                .body("items.id", contains(ids.get(0))).body("nextCursor", nullValue());
        given().auth().oauth2(token).get("/api/v1/orders?status=CANCELLED").then()
                .body("items.id", contains(ids.get(1))).body("items[0].history.status", contains("SUBMITTED", "CANCELLED"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders?status=SUBMITTED&locationId=" + h).then()
                .body("items", hasSize(4));
    }
}
