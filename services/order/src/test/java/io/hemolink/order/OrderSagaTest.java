package io.hemolink.order;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.AllocationReleased;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.events.order.OrderCancelled;
import io.hemolink.contracts.events.order.OrderDispatched;
import io.hemolink.contracts.events.order.OrderReceived;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.contracts.events.order.ServiceLevelBreached;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.order.domain.Orders;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.hemolink.order.OrderTesting.awaitStatus;
import static io.hemolink.order.OrderTesting.bag;
import static io.hemolink.order.OrderTesting.event;
import static io.hemolink.order.OrderTesting.events;
import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.receipt;
import static io.hemolink.order.OrderTesting.send;
import static io.hemolink.order.OrderTesting.sleep;
import static io.hemolink.order.OrderTesting.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order saga driven by the inventory's contract events over real Kafka, on real PostgreSQL. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class OrderSagaTest {

    @Inject
    Orders orders;

    @Test
    void specialRequirementsOfALineAreKeptShownAndSentToTheInventory() {
        String h = newHospital();
        String hospital = TestTokens.hospital(h);
        String special = "{\"component\":\"RBC_LR\",\"abo\":\"A\",\"rhd\":\"NEG\",\"quantity\":2,\"irradiated\":true,"
                + "\"cmvNegative\":true,\"antigenNegative\":[\"K\",\"E\"]}";
        String platelets = "{\"component\":\"PLT_AP\",\"abo\":\"A\",\"rhd\":\"POS\",\"quantity\":1,\"lowTitre\":true}";
        String id = submit(h, orderJson(h, "EMERGENCY", special + "," + platelets));
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then().statusCode(200)
                .body("lines[0].irradiated", equalTo(true)).body("lines[0].cmvNegative", equalTo(true))
                .body("lines[0].antigenNegative", contains("E", "K")).body("lines[0].lowTitre", equalTo(false))
                .body("lines[1].lowTitre", equalTo(true)).body("lines[1].antigenNegative", org.hamcrest.Matchers.empty());
        OrderSubmitted submitted = event(Events.ORDER_SUBMITTED, id);
        assertEquals(new io.hemolink.contracts.blood.Requirements(true, true, false, List.of("E", "K")),
                submitted.lines().get(0).requirements());
        assertEquals(true, submitted.lines().get(1).lowTitre());

        // an unknown antigen, or a requirement no bag of the component can meet, is refused and places nothing
        String before = given().auth().oauth2(hospital).queryParam("locationId", h).get("/api/v1/orders").then()
                .statusCode(200).extract().path("items.size()").toString();
        given().auth().oauth2(hospital).contentType("application/json")
                .body(orderJson(h, "URGENT", special.replace("\"E\"", "\"Kell\""))).post("/api/v1/orders").then()
                .statusCode(422).body("code", equalTo("ANTIGEN_UNKNOWN"))
                .body("errors.field", org.hamcrest.Matchers.hasItem("lines[0].antigenNegative"));
        given().auth().oauth2(hospital).contentType("application/json")
                .body(orderJson(h, "URGENT", "{\"component\":\"FFP\",\"abo\":\"A\",\"rhd\":\"POS\",\"quantity\":200,"
                        + "\"irradiated\":true}")).post("/api/v1/orders").then()
                .statusCode(422).body("code", equalTo("REQUIREMENT_NOT_APPLICABLE"));
        given().auth().oauth2(hospital).queryParam("locationId", h).get("/api/v1/orders").then()
                .body("items.size()", equalTo(Integer.parseInt(before)));

        // the bags given show what they are, on the order and on the printed issue note
        UnitRef plain = bag(Component.RBC_LR, Abo.A, RhD.NEG, 2);
        UnitRef irradiated = new UnitRef(plain.din(), plain.component(), null, plain.abo(), plain.rhd(), 2,
                plain.expiresAt(), new io.hemolink.contracts.blood.UnitAttributes(true, true, false, List.of("E", "K"),
                "E0336"));
        UnitRef plt = bag(Component.PLT_AP, Abo.A, RhD.POS, 1);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED, List.of(
                new AllocationMade.Line(1, 2, List.of(irradiated)), new AllocationMade.Line(2, 1, List.of(plt))),
                Instant.now()));
        awaitStatus(h, id, "ALLOCATED");
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then()
                .body("lines[0].units[0].irradiated", equalTo(true)).body("lines[0].units[0].cmvNegative", equalTo(true))
                .body("lines[0].units[0].antigenNegative", contains("E", "K"))
                .body("lines[0].units[0].productCode", equalTo("E0336"))
                .body("lines[1].units[0].irradiated", equalTo(false));
        post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(201);
        String html = given().auth().oauth2(hospital).accept("text/html").get("/api/v1/orders/" + id + "/issue-note")
                .then().statusCode(200).extract().asString();
        assertTrue(html.contains("辐照 irradiated; CMV阴性 CMV-negative; 抗原阴性 neg. E K; E0336"), html);
    }

    @Test
    void anOrderIsSubmittedAllocatedDispatchedAndReceived() {
        String h = newHospital();
        String hospital = TestTokens.hospital(h);
        String id = submit(h, orderJson(h, "URGENT", line("RBC_LR", "O", "POS", 3) + "," + line("FFP", "A", "POS", 400)));
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then().statusCode(200)
                .body("status", equalTo("SUBMITTED")).body("locationId", equalTo(h))
                .body("lines.lineNo", contains(1, 2)).body("lines[1].uom", equalTo("ML"))
                .body("lines[0].allocatedQuantity", equalTo(0)).body("breached", equalTo(false))
                .body("history.status", contains("SUBMITTED")).body("history[0].actor", equalTo("hospital-" + h.toLowerCase()));

        OrderSubmitted submitted = event(Events.ORDER_SUBMITTED, id);
        assertEquals(h, submitted.locationId());
        assertEquals(Priority.URGENT, submitted.priority());
        assertEquals(Duration.ofHours(4), Duration.between(submitted.submittedAt(), submitted.dueBy()));
        assertEquals(2, submitted.lines().size());
        assertEquals(400, submitted.lines().get(1).quantity());

        UnitRef a = bag(Component.RBC_LR, Abo.O, RhD.POS, 2);
        UnitRef b = bag(Component.RBC_LR, Abo.O, RhD.POS, 1);
        UnitRef plasma = bag(Component.FFP, Abo.A, RhD.POS, 400);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED, List.of(
                new AllocationMade.Line(1, 3, List.of(a, b)), new AllocationMade.Line(2, 400, List.of(plasma))), Instant.now()));
        awaitStatus(h, id, "ALLOCATED");
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then()
                .body("lines[0].allocatedQuantity", equalTo(3))
                .body("lines[0].units.din", contains(a.din(), b.din()))
                .body("lines[0].units[0].quantity", equalTo(2))
                .body("lines[1].units[0].din", equalTo(plasma.din()))
                .body("history.status", contains("SUBMITTED", "ALLOCATED"))
                .body("history[1].actor", equalTo(Orders.ALLOCATION_ACTOR));

        // the hospital may not dispatch; the station does, once
        post(hospital, "/orders/" + id + "/dispatch", "").statusCode(403);
        String note = post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(201)
                .body("orderId", equalTo(id)).body("destination.locationId", equalTo(h))
                .body("bags", hasSize(3)).body("bags.din", contains(a.din(), b.din(), plasma.din()))
                .body("bags[0].componentName", equalTo("去白细胞悬浮红细胞"))
                .body("bags[2].uom", equalTo("ML"))
                .extract().path("no");
        assertTrue(note.matches("CK\\d{8}-\\d{6}"), note);
        post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(409)
                .body("code", equalTo("ORDER_NOT_DISPATCHABLE"));
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then()
                .body("status", equalTo("DISPATCHED")).body("issueNoteNo", equalTo(note))
                .body("history[2].actor", equalTo("dispatcher"));
        given().auth().oauth2(hospital).accept("application/json").get("/api/v1/orders/" + id + "/issue-note").then()
                .statusCode(200).body("no", equalTo(note)).body("bags[1].expiresAt", equalTo(b.expiresAt().toString()));
        OrderDispatched dispatched = event(Events.ORDER_DISPATCHED, id);
        assertEquals(note, dispatched.issueNoteNo());
        assertEquals(List.of(a.din(), b.din(), plasma.din()), dispatched.units().stream().map(OrderDispatched.UnitKey::din).toList());

        // an allocation arriving after dispatch moves nothing back
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.PARTIALLY_ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(a))), Instant.now()));

        // receipt: every bag accounted for, a rejection needs a reason
        post(hospital, "/orders/" + id + "/receipt", "{\"units\":[" + receipt(a.din(), "RBC_LR", true, null) + "]}")
                .statusCode(422).body("code", equalTo("RECEIPT_INCOMPLETE"));
        post(hospital, "/orders/" + id + "/receipt", "{\"units\":[" + receipt(a.din(), "RBC_LR", true, null) + ","
                + receipt(b.din(), "RBC_LR", false, null) + "," + receipt(plasma.din(), "FFP", true, null) + "]}")
                .statusCode(422).body("code", equalTo("REASON_REQUIRED"));
        post(hospital, "/orders/" + id + "/receipt", "{\"units\":[" + receipt(a.din(), "RBC_LR", true, null) + ","
                + receipt(OrderTesting.newDin(), "RBC_LR", true, null) + "," + receipt(plasma.din(), "FFP", true, null) + "]}")
                .statusCode(422).body("code", equalTo("UNIT_NOT_DISPATCHED"));
        post(TestTokens.dispatcher(), "/orders/" + id + "/receipt", "{\"units\":[" + receipt(a.din(), "RBC_LR", true, null) + "]}")
                .statusCode(403);
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then().body("status", equalTo("DISPATCHED"))
                .body("lines[0].units", hasSize(2));

        post(hospital, "/orders/" + id + "/receipt", "{\"units\":[" + receipt(plasma.din(), "FFP", true, null) + ","
                + receipt(a.din(), "RBC_LR", true, null) + "," + receipt(b.din(), "RBC_LR", false, "bag leaking") + "]}")
                .statusCode(200).body("status", equalTo("RECEIVED"))
                .body("lines[0].units[1].accepted", equalTo(false)).body("lines[0].units[1].rejectReason", equalTo("bag leaking"))
                .body("history.status", contains("SUBMITTED", "ALLOCATED", "DISPATCHED", "RECEIVED"));
        OrderReceived received = event(Events.ORDER_RECEIVED, id);
        assertEquals(3, received.units().size());
        assertTrue(received.units().stream().anyMatch(r -> r.din().equals(b.din()) && !r.accepted()
                && "bag leaking".equals(r.reason())));
        post(hospital, "/orders/" + id + "/cancel", "{}").statusCode(409).body("code", equalTo("ORDER_NOT_CANCELLABLE"));
        given().get("/q/metrics").then().body(containsString("hemolink_orders_submitted_total"))
                .body(containsString("hemolink_orders_allocation_latency_seconds"));
    }

    @Test
    void anAllocationThatDoesNotFitTheOrderGoesToTheDeadLetterTopicAndChangesNothing() {
        String h = newHospital();
        String id = submit(h, orderJson(h, "URGENT", line("RBC", "O", "NEG", 1)));
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(7, 1, List.of(bag(Component.RBC, Abo.O, RhD.NEG, 1)))), Instant.now()));
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.DISPATCHED,
                List.of(new AllocationMade.Line(1, 1, List.of(bag(Component.RBC, Abo.O, RhD.NEG, 1)))), Instant.now()));
        assertEquals(2, io.hemolink.common.testing.KafkaProbe.read(io.hemolink.contracts.events.Topics.deadLetter(
                Events.ALLOCATION_MADE.topic()), r -> id.equals(r.key()), 2, Duration.ofSeconds(30)).size());
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then().body("status", equalTo("SUBMITTED"))
                .body("lines[0].units", hasSize(0));
        // the consumer goes on with the next event
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.BACKORDERED,
                List.of(new AllocationMade.Line(1, 0, List.of())), Instant.now()));
        awaitStatus(h, id, "BACKORDERED");
    }

    @Test
    void partialAllocationIsToppedUpAndOlderOrRepeatedEventsChangeNothing() {
        String h = newHospital();
        String id = submit(h, orderJson(h, "ROUTINE", line("PLT_AP", "B", "POS", 2)));
        UnitRef first = bag(Component.PLT_AP, Abo.B, RhD.POS, 1);
        UnitRef second = bag(Component.PLT_AP, Abo.B, RhD.POS, 1);
        Instant t0 = Instant.now();

        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.BACKORDERED,
                List.of(new AllocationMade.Line(1, 0, List.of())), t0));
        awaitStatus(h, id, "BACKORDERED");
        String partialId = send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.PARTIALLY_ALLOCATED,
                List.of(new AllocationMade.Line(1, 1, List.of(first))), t0.plusSeconds(1)));
        awaitStatus(h, id, "PARTIALLY_ALLOCATED");
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then()
                .body("lines[0].allocatedQuantity", equalTo(1)).body("lines[0].units.din", contains(first.din()));

        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(first, second))), t0.plusSeconds(2)));
        awaitStatus(h, id, "ALLOCATED");
        // the partial picture again (a redelivery) and an older picture under a new id: neither moves the order back
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.PARTIALLY_ALLOCATED,
                List.of(new AllocationMade.Line(1, 1, List.of(first))), t0.plusSeconds(1)), partialId);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.BACKORDERED,
                List.of(new AllocationMade.Line(1, 0, List.of())), t0.plusMillis(1500)));
        // then a newer picture: once it shows, the two before it (same key, same partition) were consumed too
        UnitRef third = bag(Component.PLT_AP, Abo.B, RhD.POS, 1);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(second, third))), t0.plusSeconds(3)));
        awaitUnits(h, id, List.of(second.din(), third.din()));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then()
                .body("status", equalTo("ALLOCATED")).body("lines[0].allocatedQuantity", equalTo(2))
                .body("history.status", contains("SUBMITTED", "BACKORDERED", "PARTIALLY_ALLOCATED", "ALLOCATED"));

        // the station dispatches what there is of a partial order too
        post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(201).body("bags", hasSize(2));
    }

    @Test
    void cancelBeforeDispatchAndNothingMovesItBack() {
        String h = newHospital();
        String hospital = TestTokens.hospital(h);
        String id = submit(h, orderJson(h, "EMERGENCY", line("RBC", "AB", "NEG", 2)));
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then().body("allowSubstitution", equalTo(true));
        post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(409)
                .body("code", equalTo("ORDER_NOT_DISPATCHABLE"));

        UnitRef unit = bag(Component.RBC, Abo.O, RhD.NEG, 2);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(unit))), Instant.now()));
        awaitStatus(h, id, "ALLOCATED");
        given().auth().oauth2(hospital).contentType("application/json").body("{\"reason\":\"patient stable\"}")
                .post("/api/v1/orders/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("history[-1].actor", equalTo("hospital-" + h.toLowerCase()))
                .body("history[-1].detail", equalTo("patient stable"));
        OrderCancelled cancelled = event(Events.ORDER_CANCELLED, id);
        assertEquals("patient stable", cancelled.reason());
        // cancelling again is harmless; a late allocation does not revive it; the release takes the bags off
        post(hospital, "/orders/" + id + "/cancel", "{}").statusCode(200).body("status", equalTo("CANCELLED"));
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(unit))), Instant.now().plusSeconds(5)));
        send(Events.ALLOCATION_RELEASED, id, new AllocationReleased(id, List.of(unit), "order cancelled", Instant.now()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then()
                .extract().<Integer>path("lines[0].allocatedQuantity") != 0) {
            sleep(100);
        }
        given().auth().oauth2(hospital).get("/api/v1/orders/" + id).then().body("status", equalTo("CANCELLED"))
                .body("lines[0].allocatedQuantity", equalTo(0)).body("lines[0].units", hasSize(0))
                .body("history.status", contains("SUBMITTED", "ALLOCATED", "CANCELLED"));
        post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(409);
    }

    @Test
    void aRaceOfDispatchAndCancelHasOneWinnerAndADispatchRetriedWithItsKeyIsReplayed() throws Exception {
        String h = newHospital();
        String id = submit(h, orderJson(h, "URGENT", line("RBC", "O", "POS", 2)));
        UnitRef unit = bag(Component.RBC, Abo.O, RhD.POS, 2);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(unit))), Instant.now()));
        awaitStatus(h, id, "ALLOCATED");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(pool.submit(() -> post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").extract().statusCode()));
                calls.add(pool.submit(() -> post(TestTokens.hospital(h), "/orders/" + id + "/cancel", "{}").extract().statusCode()));
            }
            List<Integer> codes = new java.util.ArrayList<>();
            for (var c : calls) {
                codes.add(c.get());
            }
            String status = given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then().extract().path("status");
            if (status.equals("DISPATCHED")) {
                assertEquals(1, codes.stream().filter(c -> c == 201).count(), "one dispatch: " + codes);
                assertEquals(0, codes.stream().filter(c -> c == 200).count(), "no cancel after it: " + codes);
            } else {
                assertEquals("CANCELLED", status);
                assertEquals(0, codes.stream().filter(c -> c == 201).count(), "no dispatch after a cancel: " + codes);
            }
            assertTrue(codes.stream().allMatch(c -> c == 200 || c == 201 || c == 409), codes.toString());
        } finally {
            pool.shutdownNow();
        }

        String other = submit(h, orderJson(h, "URGENT", line("RBC", "O", "POS", 2)));
        send(Events.ALLOCATION_MADE, other, new AllocationMade(other, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(bag(Component.RBC, Abo.O, RhD.POS, 2)))), Instant.now()));
        awaitStatus(h, other, "ALLOCATED");
        String no = given().auth().oauth2(TestTokens.dispatcher()).header("Idempotency-Key", "dispatch-" + other)
                .post("/api/v1/orders/" + other + "/dispatch").then().statusCode(201).extract().path("no");
        given().auth().oauth2(TestTokens.dispatcher()).header("Idempotency-Key", "dispatch-" + other)
                .post("/api/v1/orders/" + other + "/dispatch").then().statusCode(201).body("no", equalTo(no))
                .header("Idempotent-Replayed", "true");
        assertEquals(1, events(Events.ORDER_DISPATCHED, other, 2, Duration.ofSeconds(6)).size(), "dispatched once");
    }

    @Test
    void theStationMayCancelAnyOrder() {
        String h = newHospital();
        String id = submit(h, orderJson(h, "ROUTINE", line("CRYO", "A", "POS", 4)));
        post(TestTokens.dispatcher(), "/orders/" + id + "/cancel", "{\"reason\":\"duplicate order\"}").statusCode(200)
                .body("status", equalTo("CANCELLED")).body("history[-1].actor", equalTo("dispatcher"));
    }

    @Test
    void anOrderNotDispatchedByItsDueTimeIsBreachedOnce() {
        String h = newHospital();
        String id = submit(h, orderJson(h, "EMERGENCY", line("PLT_AP", "O", "POS", 1)));
        Instant dueBy = Instant.parse(given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then()
                .body("breached", equalTo(false)).extract().<String>path("dueBy"));
        orders.checkServiceLevels(dueBy.minusSeconds(1));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then().body("breached", equalTo(false));

        orders.checkServiceLevels(dueBy.plusSeconds(1));
        orders.checkServiceLevels(dueBy.plusSeconds(60));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then().body("breached", equalTo(true))
                .body("breachedAt", notNullValue()).body("status", equalTo("SUBMITTED"));
        List<ServiceLevelBreached> breaches = events(Events.SERVICE_LEVEL_BREACHED, id, 2, Duration.ofSeconds(8));
        assertEquals(1, breaches.size(), "one breach event");
        assertEquals(Priority.EMERGENCY, breaches.get(0).priority());
        assertEquals(dueBy, breaches.get(0).dueBy());
    }

    @Test
    void aStoragePointOperatorOrdersReplenishmentForItsOwnPoint() {
        String host = newHospital();
        String point = OrderTesting.newStoragePoint(host);
        String operator = TestTokens.storagePointOperator(point);
        String id = post(operator, "/orders", orderJson(point, "ROUTINE", line("RBC_LR", "A", "POS", 6))).statusCode(201)
                .body("locationId", equalTo(point)).extract().path("id");
        given().auth().oauth2(operator).get("/api/v1/orders/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.hospital(host)).get("/api/v1/orders/" + id).then().statusCode(404);
        post(operator, "/orders", orderJson(host, "ROUTINE", line("RBC_LR", "A", "POS", 6))).statusCode(403)
                .body("code", equalTo("LOCATION_NOT_YOURS"));
    }

    @Test
    void anIssueNotePrintsInChineseAndEnglishWithEveryValueEscaped() {
        String h = newHospital("<script>alert(1)</script> & 医院");
        String id = submit(h, orderJson(h, "URGENT", line("RBC", "B", "NEG", 1)));
        UnitRef unit = bag(Component.RBC, Abo.B, RhD.NEG, 1);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 1, List.of(unit))), Instant.now()));
        awaitStatus(h, id, "ALLOCATED");
        given().auth().oauth2(TestTokens.hospital(h)).accept("application/json").get("/api/v1/orders/" + id + "/issue-note")
                .then().statusCode(404).contentType("application/problem+json");
        String no = post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(201).extract().path("no");
        String html = given().auth().oauth2(TestTokens.dispatcher()).accept("text/html")
                .get("/api/v1/orders/" + id + "/issue-note").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("出库单 Issue note"), containsString("献血条码 DIN"), containsString(no),
                        containsString(unit.din()), containsString("悬浮红细胞"), containsString("B-"),
                        containsString("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 医院"))
                .extract().asString();
        assertTrue(!html.contains("<script>"), "no markup from data");
        given().auth().oauth2(TestTokens.hospital(newHospital())).accept("text/html")
                .get("/api/v1/orders/" + id + "/issue-note").then().statusCode(404);
    }

    @Test
    void anEventIdSeenBeforeHasNoEffectWhateverItCarries() {
        String h = newHospital();
        String id = submit(h, orderJson(h, "URGENT", line("RBC", "A", "POS", 2)));
        UnitRef unit = bag(Component.RBC, Abo.A, RhD.POS, 2);
        Instant t0 = Instant.now();
        String eventId = send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(unit))), t0));
        awaitStatus(h, id, "ALLOCATED");
        // the same event id again, even with a newer picture, is a redelivery: ignored
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.PARTIALLY_ALLOCATED,
                List.of(new AllocationMade.Line(1, 1, List.of(bag(Component.RBC, Abo.A, RhD.POS, 1)))), t0.plusSeconds(5)),
                eventId);
        UnitRef other = bag(Component.RBC, Abo.A, RhD.POS, 2);
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.ALLOCATED,
                List.of(new AllocationMade.Line(1, 2, List.of(other))), t0.plusSeconds(10)));
        awaitUnits(h, id, List.of(other.din()));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then()
                .body("history.status", contains("SUBMITTED", "ALLOCATED")).body("lines[0].units", hasSize(1))
                .body("lines[0].units[0].accepted", nullValue()).body("issueNoteNo", nullValue());
    }

    private static void awaitUnits(String h, String id, List<String> dins) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> last = null;
        while (System.nanoTime() < deadline) {
            last = given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then().extract()
                    .path("lines[0].units.din");
            if (dins.equals(last)) {
                return;
            }
            sleep(100);
        }
        assertEquals(dins, last);
    }

}
