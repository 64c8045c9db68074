package io.hemolink.inventory;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconciliation finds a level, a unit or a reservation that does not match the ledger, and nothing else. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class ReconciliationTest {

    @Inject
    EntityManager em;

    @Test
    void writesThatBypassTheLedgerAreNamedAndOnlyTheStationMayAsk() {
        String din = newDin();
        release(unitJson(din, "CRYO", "AB", "POS", 1, "2026-11-30T00:00:00Z")).statusCode(201);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock/reconciliation").then().statusCode(200)
                .body("consistent", equalTo(true));

        // a level changed behind the ledger's back, and a unit moved without a movement
        sql("update stock_level set bags = bags + 1 where location_id = 'STATION' and component = 'CRYO' and abo = 'AB' and rhd = 'POS'");
        sql("update unit set location_id = 'H002' where din = '" + din + "'");
        var report = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock/reconciliation").then()
                .statusCode(200).body("consistent", equalTo(false)).extract();
        List<Map<String, Object>> levels = report.path("levelDifferences");
        assertTrue(levels.stream().anyMatch(l -> "STATION".equals(l.get("locationId")) && "CRYO".equals(l.get("component"))
                && "AB".equals(l.get("abo"))), levels.toString());
        List<Map<String, Object>> ledger = report.path("ledgerDifferences");
        assertEquals(1, ledger.size(), ledger.toString());
        assertEquals(din, ledger.get(0).get("din"));
        assertEquals("STATION", ledger.get(0).get("lastMovementLocation"));

        sql("update unit set location_id = 'STATION' where din = '" + din + "'");
        sql("update stock_level set bags = bags - 1 where location_id = 'STATION' and component = 'CRYO' and abo = 'AB' and rhd = 'POS'");
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock/reconciliation").then().body("consistent", equalTo(true));
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock/reconciliation").then().statusCode(403);
    }

    private void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(statement).executeUpdate());
    }
}
