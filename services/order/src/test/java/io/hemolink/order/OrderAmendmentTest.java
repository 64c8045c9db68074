package io.hemolink.order;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.events.order.OrderAmended;
import io.hemolink.contracts.events.order.OrderStatusChanged;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.hemolink.order.OrderTesting.awaitStatus;
import static io.hemolink.order.OrderTesting.bag;
import static io.hemolink.order.OrderTesting.event;
import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.send;
import static io.hemolink.order.OrderTesting.sleep;
import static io.hemolink.order.OrderTesting.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PATCH /orders/{id}} (api.md, "Orders: amend before dispatch"; ADR 0034): the order keeps its id, lines given
 * replace its lines (a named line keeps its number), it waits for its allocation again and the history says what
 * changed; an allocation computed for the revision before is ignored; after dispatch 409 ORDER_DISPATCHED; bad input
 * changes nothing.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class OrderAmendmentTest {

    @Test
    void anAmendedOrderKeepsItsIdWaitsForItsNewAllocationAndIgnoresTheOldOne() {
        String h = newHospital();
        String token = TestTokens.hospital(h);
        String id = submit(h, orderJson(h, "ROUTINE", line("RBC_LR", "A", "POS", 4) + "," + line("FFP", "O", "NEG", 400)));
        UnitRef a = bag(Component.RBC_LR, Abo.A, RhD.POS, 2);
        UnitRef b = bag(Component.RBC_LR, Abo.A, RhD.POS, 2);
        UnitRef f = bag(Component.FFP, Abo.O, RhD.NEG, 400);
        AllocationMade before = new AllocationMade(id, h, OrderStatus.ALLOCATED, List.of(
                new AllocationMade.Line(1, 4, List.of(a, b)), new AllocationMade.Line(2, 400, List.of(f))), Instant.now());
        send(Events.ALLOCATION_MADE, id, before);
        awaitStatus(h, id, "ALLOCATED");
        String dueBy = view(token, id).getString("dueBy");

        JsonPath amended = patch(token, id, "{\"priority\":\"URGENT\",\"lines\":[{\"lineNo\":1,\"component\":\"RBC_LR\","
                + "\"abo\":\"A\",\"rhd\":\"POS\",\"quantity\":2}," + line("PLT_AP", "O", "POS", 1) + "]}")
                .statusCode(200).extract().jsonPath();
        assertEquals(id, amended.getString("id"));
        assertEquals("SUBMITTED", amended.getString("status"), "allocated again");
        assertEquals("URGENT", amended.getString("priority"));
        assertNotEquals(dueBy, amended.getString("dueBy"), "an urgent order is due sooner");
        assertEquals(List.of(1, 3), amended.getList("lines.lineNo"), "line 1 kept, line 2 gone, the new line numbered 3");
        assertEquals(2, amended.getInt("lines[0].quantity"));
        assertEquals(0, amended.getList("lines[0].units").size(), "no bag shown until the inventory answers");
        String detail = amended.getString("history[-1].detail");
        assertTrue(detail.startsWith("amended: priority ROUTINE → URGENT"), detail);
        assertTrue(detail.contains("line 1 4 U RBC_LR A POS → 2 U RBC_LR A POS") && detail.contains("line 2 400 ML FFP O NEG removed")
                && detail.contains("line 3 1 DOSE PLT_AP O POS added"), detail);

        OrderAmended event = event(Events.ORDER_AMENDED, id);
        assertEquals(1, event.revision());
        assertEquals(List.of(1, 3), event.lines().stream().map(l -> l.lineNo()).toList());
        assertEquals(2, event.lines().get(0).quantity());

        // the picture made before the amendment arrives late (it names line 2): ignored, not a poison event
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED, before.lines(),
                Instant.now()));
        sleep(1000);
        assertEquals("SUBMITTED", view(token, id).getString("status"));
        // the inventory's answer for the amended order: line 1 keeps bag a
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.PARTIALLY_ALLOCATED, List.of(
                new AllocationMade.Line(1, 2, List.of(a)), new AllocationMade.Line(3, 0, List.of())), Instant.now(), 1));
        awaitStatus(h, id, "PARTIALLY_ALLOCATED");
        JsonPath after = view(token, id);
        assertEquals(List.of(a.din()), after.getList("lines[0].units.din"));
        assertEquals(2, after.getInt("lines[0].allocatedQuantity"));

        // dispatched, it can no longer be amended
        post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(201);
        patch(token, id, "{\"priority\":\"EMERGENCY\"}").statusCode(409).body("code", equalTo("ORDER_DISPATCHED"));
        assertEquals("URGENT", view(token, id).getString("priority"));

        // every move went out once, in order, the amendment too (it keeps SUBMITTED's successor, with its revision);
        // the stale picture moved nothing
        List<OrderStatusChanged> moves = OrderTesting.events(Events.ORDER_STATUS_CHANGED, id, 6,
                java.time.Duration.ofSeconds(4)); // 6 asked for: a sixth (a move sent twice) would show
        assertEquals(List.of("null→SUBMITTED@0", "SUBMITTED→ALLOCATED@0", "ALLOCATED→SUBMITTED@1",
                "SUBMITTED→PARTIALLY_ALLOCATED@1", "PARTIALLY_ALLOCATED→DISPATCHED@1"),
                moves.stream().map(m -> m.previous() + "→" + m.status() + "@" + m.revision()).toList());
        assertTrue(moves.stream().allMatch(m -> h.equals(m.locationId()) && m.at() != null), moves.toString());
        assertEquals(Priority.URGENT, moves.get(4).priority());
        assertTrue(moves.get(2).detail().startsWith("amended: "), moves.get(2).detail());
    }

    @Test
    void badAmendmentsAreRefusedAndChangeNothing() {
        String h = newHospital();
        String token = TestTokens.hospital(h);
        String id = submit(h, orderJson(h, "ROUTINE", line("RBC_LR", "A", "POS", 4)));
        String rbc = "\"component\":\"RBC_LR\",\"abo\":\"A\",\"rhd\":\"POS\"";
        patch(token, id, "{}").statusCode(422).body("code", equalTo("AMENDMENT_EMPTY"));
        patch(token, id, "{\"lines\":[]}").statusCode(422).body("code", equalTo("LINES_REQUIRED"));
        patch(token, id, "{\"lines\":[{\"lineNo\":7," + rbc + ",\"quantity\":2}]}").statusCode(422)
                .body("code", equalTo("LINE_UNKNOWN"));
        patch(token, id, "{\"lines\":[{\"lineNo\":1," + rbc + ",\"quantity\":2},{\"lineNo\":1," + rbc + ",\"quantity\":1}]}")
                .statusCode(422).body("code", equalTo("LINE_DUPLICATED"));
        patch(token, id, "{\"lines\":[{\"lineNo\":1," + rbc + ",\"quantity\":51}]}").statusCode(422)
                .body("code", equalTo("QUANTITY_TOO_LARGE"));
        patch(token, id, "{\"neededBy\":\"2020-01-01T00:00:00Z\"}").statusCode(422).body("code", equalTo("NEEDED_BY_IN_PAST"));
        patch(token, id, "{\"priority\":\"SOON\"}").statusCode(422).body("code", equalTo("INVALID_VALUE"));
        patch(TestTokens.hospital(newHospital()), id, "{\"priority\":\"URGENT\"}").statusCode(404);
        JsonPath o = view(token, id);
        assertEquals("ROUTINE", o.getString("priority"));
        assertEquals(4, o.getInt("lines[0].quantity"));
        assertEquals(1, o.getList("history").size(), "no amendment recorded");
        assertEquals(0, OrderTesting.events(Events.ORDER_AMENDED, id, 1, java.time.Duration.ofSeconds(2)).size());
        // the same order as it is changes nothing either
        patch(token, id, "{\"lines\":[{\"lineNo\":1," + rbc + ",\"quantity\":4}]}").statusCode(200)
                .body("status", equalTo("SUBMITTED"));
        assertEquals(1, view(token, id).getList("history").size());
        // cancelled, it cannot be amended
        post(token, "/orders/" + id + "/cancel", "{}").statusCode(200);
        patch(token, id, "{\"priority\":\"URGENT\"}").statusCode(409).body("code", equalTo("ORDER_CANCELLED"));
        assertEquals(List.of(OrderStatus.SUBMITTED, OrderStatus.CANCELLED), OrderTesting.events(Events.ORDER_STATUS_CHANGED,
                id, 3, java.time.Duration.ofSeconds(3)).stream().map(OrderStatusChanged::status).toList(),
                "refused amendments and the unchanged one moved nothing");
    }

    private static ValidatableResponse patch(String token, String id, String body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).patch("/api/v1/orders/" + id).then();
    }

    private static JsonPath view(String token, String id) {
        return given().auth().oauth2(token).get("/api/v1/orders/" + id).then().statusCode(200).extract().jsonPath();
    }
}
