package io.hemolink.order;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.contracts.events.storage.ReplenishmentRequested;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.hemolink.order.OrderTesting.event;
import static io.hemolink.order.OrderTesting.events;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.newStoragePoint;
import static io.hemolink.order.OrderTesting.send;
import static io.hemolink.order.OrderTesting.sleep;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A storage point's replenishment request becomes one ROUTINE order, however often it is delivered. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class ReplenishmentTest {

    @Test
    void aRequestIsPlacedOnceUnderItsOwnId() {
        String point = newStoragePoint(newHospital());
        String requestId = UUID.randomUUID().toString();
        ReplenishmentRequested request = new ReplenishmentRequested(requestId, point,
                List.of(new ReplenishmentRequested.Line(Component.RBC_LR, Abo.O, RhD.POS, 4)), Instant.now());
        send(Events.REPLENISHMENT_REQUESTED, point, request);
        send(Events.REPLENISHMENT_REQUESTED, point, request); // the same request again, as a new event

        OrderSubmitted submitted = event(Events.ORDER_SUBMITTED, requestId);
        assertEquals(point, submitted.locationId());
        assertEquals("ROUTINE", submitted.priority().name());
        assertEquals(4, submitted.lines().get(0).quantity());
        given().auth().oauth2(TestTokens.storagePointOperator(point)).get("/api/v1/orders/" + requestId).then()
                .statusCode(200).body("status", equalTo("SUBMITTED")).body("history[0].actor", equalTo("system:storage-point"));
        sleep(1500);
        assertEquals(1, events(Events.ORDER_SUBMITTED, requestId, 2, Duration.ofSeconds(3)).size(), "placed once");
    }

    @Test
    void aRequestForAnUnregisteredPointIsDroppedAndTheNextOneStillWorks() {
        String unknown = "SP99";
        String dropped = UUID.randomUUID().toString();
        send(Events.REPLENISHMENT_REQUESTED, unknown, new ReplenishmentRequested(dropped, unknown,
                List.of(new ReplenishmentRequested.Line(Component.FFP, Abo.A, RhD.POS, 400)), Instant.now()));
        String point = newStoragePoint(newHospital());
        String placed = UUID.randomUUID().toString();
        send(Events.REPLENISHMENT_REQUESTED, point, new ReplenishmentRequested(placed, point,
                List.of(new ReplenishmentRequested.Line(Component.FFP, Abo.A, RhD.POS, 400)), Instant.now()));
        assertEquals(point, event(Events.ORDER_SUBMITTED, placed).locationId());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders/" + dropped).then().statusCode(404);
        assertEquals(0, KafkaProbe.read(Topics.deadLetter(Topics.STORAGE_EVENTS), r -> unknown.equals(r.key()), 1,
                Duration.ofSeconds(3)).size(), "a refused request is logged and dropped, not dead-lettered");
    }
}
