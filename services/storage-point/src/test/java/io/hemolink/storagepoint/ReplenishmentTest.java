package io.hemolink.storagepoint;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.order.OrderReceived;
import io.hemolink.contracts.events.storage.ReplenishmentRequested;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.storagepoint.domain.Replenishment;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Below par, one replenishment request per line, never two while it is open; closed by the order or by stock. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class ReplenishmentTest {

    @Inject
    Replenishment replenishment;

    private static final Instant LATER = Instant.now().plus(Duration.ofDays(20));

    @Test
    void belowParAskesOnceForTheGapToTarget() {
        String p = Sp.newPoint("[{\"component\":\"RBC_LR\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":4,\"target\":6},"
                + "{\"component\":\"FFP\",\"abo\":\"A\",\"rhd\":\"POS\",\"min\":0,\"target\":400}]");
        // one unit of 2 U arrives: still below min, the open request is not repeated
        Sp.receive(p, Component.RBC_LR, Abo.O, RhD.POS, 2, LATER);
        Sp.receive(p, Component.FFP, Abo.A, RhD.POS, 200, LATER);
        JsonPath point = Sp.await(p, j -> Sp.bags(j) == 2);
        assertEquals(2, point.getInt("parLevels.find { it.component == 'RBC_LR' }.stock"));
        replenishment.evaluateAll(Instant.now());

        List<ReplenishmentRequested> requests = Sp.events(Events.REPLENISHMENT_REQUESTED, p + "\"", 2, Duration.ofSeconds(8));
        assertEquals(1, requests.size(), "one request while it is open: " + requests);
        ReplenishmentRequested r = requests.get(0);
        assertEquals(List.of(new ReplenishmentRequested.Line(Component.RBC_LR, Abo.O, RhD.POS, 6)), r.lines(),
                "target 6 - stock 0 at registration; FFP min 0 is never below par");
        String open = point.getString("parLevels.find { it.component == 'RBC_LR' }.openReplenishmentId");
        assertEquals(r.requestId(), open);

        // the order placed for it is received: the line closes and waits for its units to arrive before asking again
        Sp.send(Events.ORDER_RECEIVED, r.requestId(), new OrderReceived(r.requestId(), p, List.of(), "operator", Instant.now()));
        assertNull(Sp.await(p, j -> j.get("parLevels.find { it.component == 'RBC_LR' }.openReplenishmentId") == null)
                .get("parLevels.find { it.component == 'RBC_LR' }.openReplenishmentId"));
        replenishment.evaluateAll(Instant.now());
        assertEquals(1, Sp.events(Events.REPLENISHMENT_REQUESTED, p + "\"", 2, Duration.ofSeconds(4)).size());

        // after the settle time, still below min: a new request for target - stock
        replenishment.evaluateAll(Instant.now().plus(Duration.ofMinutes(11)));
        List<ReplenishmentRequested> again = Sp.events(Events.REPLENISHMENT_REQUESTED, p + "\"", 2, Duration.ofSeconds(10));
        assertEquals(2, again.size());
        ReplenishmentRequested second = again.stream().filter(x -> !x.requestId().equals(r.requestId())).findFirst().orElseThrow();
        assertEquals(4, second.lines().get(0).quantity());

        // stock reaches target: the open line closes without an order
        Sp.receive(p, Component.RBC_LR, Abo.O, RhD.POS, 2, LATER);
        Sp.receive(p, Component.RBC_LR, Abo.O, RhD.POS, 2, LATER);
        JsonPath full = Sp.await(p, j -> j.get("parLevels.find { it.component == 'RBC_LR' }.openReplenishmentId") == null);
        assertEquals(6, full.getInt("parLevels.find { it.component == 'RBC_LR' }.stock"));
        assertNull(full.get("parLevels.find { it.component == 'RBC_LR' }.openReplenishmentId"));
        assertNotNull(full.get("parLevels.find { it.component == 'FFP' }"));
    }

    @Test
    void newParLevelsReplaceTheOldOnesAndALineBelowItsMinAsksAtOnce() {
        String p = Sp.newPoint();
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"parLevels\":[{\"component\":\"PLT_AP\",\"abo\":\"B\",\"rhd\":\"POS\",\"min\":1,\"target\":2}]}")
                .put("/api/v1/storage-points/" + p + "/par-levels").then().statusCode(200)
                .body("parLevels.size()", equalTo(1)).body("parLevels[0].component", equalTo("PLT_AP"));
        List<ReplenishmentRequested> requests = Sp.events(Events.REPLENISHMENT_REQUESTED, p + "\"", 1, Duration.ofSeconds(8));
        assertEquals(List.of(new ReplenishmentRequested.Line(Component.PLT_AP, Abo.B, RhD.POS, 2)), requests.get(0).lines());

        // replaced, not added; bad input changes nothing; only the dispatcher sets them
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"parLevels\":[{\"component\":\"FFP\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":0,\"target\":200}]}")
                .put("/api/v1/storage-points/" + p + "/par-levels").then().statusCode(200)
                .body("parLevels.component", equalTo(List.of("FFP")));
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"parLevels\":[{\"component\":\"FFP\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":5,\"target\":2}]}")
                .put("/api/v1/storage-points/" + p + "/par-levels").then().statusCode(422)
                .body("code", equalTo("PAR_LEVEL_INVALID"));
        given().auth().oauth2(TestTokens.storagePointOperator(p)).contentType(ContentType.JSON)
                .body("{\"parLevels\":[]}").put("/api/v1/storage-points/" + p + "/par-levels").then().statusCode(403);
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON).body("{\"parLevels\":[]}")
                .put("/api/v1/storage-points/SP00/par-levels").then().statusCode(404);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/storage-points/" + p).then()
                .body("parLevels.component", equalTo(List.of("FFP")));
    }
}
