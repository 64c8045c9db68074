package io.hemolink.order;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.order.domain.HospitalStock;
import io.hemolink.order.domain.ServiceLevels;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.hemolink.order.OrderTesting.awaitStatus;
import static io.hemolink.order.OrderTesting.bag;
import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.newStoragePoint;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.send;
import static io.hemolink.order.OrderTesting.sleep;
import static io.hemolink.order.OrderTesting.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hospital par levels (api.md, "Hospital stock"): the suggested order is target + the next run's forecast − on hand
 * (the inventory's stock levels over Kafka) − in transit − open orders for every key; an automatic order is placed
 * once, never a second while it is open; bad input changes nothing.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class ParLevelsTest {

    @Inject
    ServiceLevels serviceLevels;

    private static final String LEVELS = "{\"levels\":[" + level("RBC_LR", "A", "POS", 4, 10) + ","
            + level("FFP", "B", "NEG", 400, 1000) + "," + level("PLT_AP", "O", "POS", 1, 3) + "]}";

    @Test
    void theSuggestedOrderCountsOnHandInTransitOpenOrdersAndTheForecast() {
        String h = newHospital();
        String token = TestTokens.hospital(h);
        given().auth().oauth2(token).contentType("application/json").body(LEVELS).put("/api/v1/locations/" + h + "/par-levels")
                .then().statusCode(200).body("levels.size()", equalTo(3)).body("autoOrder", equalTo(false));
        // on hand from the inventory's stock levels; an older level arriving late changes nothing
        Instant now = Instant.now();
        level(h, Component.RBC_LR, Abo.A, RhD.POS, 3, now);
        level(h, Component.FFP, Abo.B, RhD.NEG, 600, now);
        level(h, Component.RBC_LR, Abo.A, RhD.POS, 50, now.minusSeconds(60));
        // the forecast of the next ROUTINE run's day
        LocalDate runDay = LocalDate.ofInstant(serviceLevels.dueBy(Priority.ROUTINE, Instant.now()), serviceLevels.zone());
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"days\":[{\"date\":\"" + runDay + "\",\"component\":\"RBC_LR\",\"abo\":\"A\",\"rhd\":\"POS\",\"quantity\":2},"
                        + "{\"date\":\"" + runDay.plusDays(1) + "\",\"component\":\"RBC_LR\",\"abo\":\"A\",\"rhd\":\"POS\",\"quantity\":7}]}")
                .put("/api/v1/locations/" + h + "/demand").then().statusCode(200);

        // the keys travel on different partitions: wait for each before reading the whole suggestion
        awaitSuggestedOnHand(h, "FFP|B|NEG", 600);
        Map<String, Map<String, Object>> s = awaitSuggestedOnHand(h, "RBC_LR|A|POS", 3);
        assertLine(s.get("RBC_LR|A|POS"), 3, 0, 0, 2, 10);
        assertLine(s.get("FFP|B|NEG"), 600, 0, 0, 0, 1000);
        assertLine(s.get("PLT_AP|O|POS"), 0, 0, 0, 0, 3);
        int before = (Integer) s.get("RBC_LR|A|POS").get("quantity");

        // an open order lowers the suggestion by exactly its quantity
        String open = submit(h, orderJson(h, "ROUTINE", line("RBC_LR", "A", "POS", 4)));
        s = suggested(h);
        assertEquals(before - 4, s.get("RBC_LR|A|POS").get("quantity"));
        assertLine(s.get("RBC_LR|A|POS"), 3, 0, 4, 2, 10);

        // dispatched, the same bags are in transit instead of on order
        UnitRef a = bag(Component.RBC_LR, Abo.A, RhD.POS, 2);
        UnitRef b = bag(Component.RBC_LR, Abo.A, RhD.POS, 1);
        send(Events.ALLOCATION_MADE, open, new AllocationMade(open, h, OrderStatus.PARTIALLY_ALLOCATED,
                List.of(new AllocationMade.Line(1, 3, List.of(a, b))), Instant.now()));
        awaitStatus(h, open, "PARTIALLY_ALLOCATED");
        post(TestTokens.dispatcher(), "/orders/" + open + "/dispatch", "").statusCode(201);
        s = suggested(h);
        assertLine(s.get("RBC_LR|A|POS"), 3, 3, 0, 2, 10);
        assertEquals(10 + 2 - 3 - 3, s.get("RBC_LR|A|POS").get("quantity"));

        // another hospital sees none of it
        given().auth().oauth2(TestTokens.hospital(newHospital())).get("/api/v1/locations/" + h + "/suggested-order")
                .then().statusCode(404);
    }

    @Test
    void belowMinAnAutomaticOrderIsPlacedOnceAndNeverASecondWhileItIsOpen() {
        String h = newHospital();
        String token = TestTokens.hospital(h);
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"levels\":[" + level("CRYO", "AB", "POS", 4, 10) + "],\"autoOrder\":true}")
                .put("/api/v1/locations/" + h + "/par-levels").then().statusCode(200).body("autoOrder", equalTo(true));
        // nothing on hand yet: below min at once, one order for the target
        String id = awaitOrders(h, 1).getString("items[0].id");
        JsonPath first = given().auth().oauth2(token).get("/api/v1/orders/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(HospitalStock.AUTO_ACTOR, first.getString("history[0].actor"));
        assertEquals("ROUTINE", first.getString("priority"));
        assertEquals(10, first.getInt("lines[0].quantity"));
        // a stock change still below min places no second order while the first is open
        level(h, Component.CRYO, Abo.AB, RhD.POS, 2, Instant.now());
        awaitSuggestedOnHand(h, "CRYO|AB|POS", 2);
        sleep(500);
        assertEquals(1, given().auth().oauth2(token).get("/api/v1/orders?locationId=" + h).then().statusCode(200)
                .extract().jsonPath().getList("items").size());
    }

    @Test
    void badParLevelsAreRefusedAndChangeNothing() {
        String h = newHospital();
        String token = TestTokens.hospital(h);
        given().auth().oauth2(token).contentType("application/json").body(LEVELS).put("/api/v1/locations/" + h + "/par-levels")
                .then().statusCode(200);
        put(token, h, "{\"levels\":[" + level("RBC", "O", "POS", -1, 5) + "]}").statusCode(422);
        put(token, h, "{\"levels\":[" + level("RBC", "O", "POS", 6, 5) + "]}").statusCode(422)
                .body("code", equalTo("PAR_LEVEL_INVALID"));
        put(token, h, "{\"levels\":[" + level("RBC", "O", "POS", 1, 5) + "," + level("RBC", "O", "POS", 2, 6) + "]}")
                .statusCode(422).body("code", equalTo("PAR_LEVEL_DUPLICATED"));
        put(TestTokens.hospital(newHospital()), h, LEVELS).statusCode(403).body("code", equalTo("LOCATION_NOT_YOURS"));
        String point = newStoragePoint(h);
        put(TestTokens.dispatcher(), point, LEVELS).statusCode(422).body("code", equalTo("NOT_A_HOSPITAL"));
        given().auth().oauth2(token).get("/api/v1/locations/" + h + "/par-levels").then().statusCode(200)
                .body("levels.size()", equalTo(3)).body("levels[0].component", equalTo("FFP"));
    }

    private static io.restassured.response.ValidatableResponse put(String token, String location, String body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .put("/api/v1/locations/" + location + "/par-levels").then();
    }

    private static String level(String component, String abo, String rhd, int min, int target) {
        return "{\"component\":\"" + component + "\",\"abo\":\"" + abo + "\",\"rhd\":\"" + rhd + "\",\"min\":" + min
                + ",\"target\":" + target + "}";
    }

    private static void level(String h, Component c, Abo abo, RhD rhd, int quantity, Instant asOf) {
        send(Events.STOCK_LEVEL_CHANGED, StockLevelChanged.key(h, c, abo, rhd), new StockLevelChanged(h, c, abo, rhd,
                1, quantity, c.uom(), 0, null, Level.GREEN, asOf));
    }

    private static void assertLine(Map<String, Object> line, int onHand, int inTransit, int openOrders, int forecast,
                                   int target) {
        assertEquals(onHand, line.get("onHand"), line.toString());
        assertEquals(inTransit, line.get("inTransit"), line.toString());
        assertEquals(openOrders, line.get("openOrders"), line.toString());
        assertEquals(forecast, line.get("forecast"), line.toString());
        assertEquals(target, line.get("target"), line.toString());
        assertEquals(Math.max(0, target + forecast - onHand - inTransit - openOrders), line.get("quantity"), line.toString());
    }

    private static Map<String, Map<String, Object>> suggested(String h) {
        List<Map<String, Object>> lines = given().auth().oauth2(TestTokens.hospital(h))
                .get("/api/v1/locations/" + h + "/suggested-order").then().statusCode(200).extract().jsonPath()
                .getList("lines");
        Map<String, Map<String, Object>> byKey = new java.util.HashMap<>();
        for (Map<String, Object> l : lines) {
            byKey.put(l.get("component") + "|" + l.get("abo") + "|" + l.get("rhd"), l);
        }
        return byKey;
    }

    private static Map<String, Map<String, Object>> awaitSuggestedOnHand(String h, String key, int onHand) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, Map<String, Object>> s = null;
        while (System.nanoTime() < deadline) {
            s = suggested(h);
            if (s.containsKey(key) && Integer.valueOf(onHand).equals(s.get(key).get("onHand"))) {
                return s;
            }
            sleep(100);
        }
        fail(key + " never showed " + onHand + " on hand: " + s);
        return s;
    }

    private static JsonPath awaitOrders(String h, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath page = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders?locationId=" + h).then()
                    .statusCode(200).extract().jsonPath();
            if (page.getList("items").size() >= n) {
                assertTrue(page.getList("items").size() == n, page.prettify());
                return page;
            }
            sleep(100);
        }
        fail("no automatic order for " + h);
        return null;
    }
}
