package io.hemolink.inventory;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.domain.SupplyAlerts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.hemolink.inventory.UnitsApiTest.yesterday;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Region supply alerts from days of supply, with the persistence rule, raised and cleared. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class SupplyAlertsTest {

    @Inject
    SupplyAlerts alerts;

    @Inject
    EntityManager em;

    private final LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    /** 28 doses transfused at H002 today: an average of one dose a day over the 28-day window. */
    private void issueHistory(String abo, String rhd) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into daily_issue (location_id, component, abo, rhd, day, quantity) values ('H002', 'PLT_AP', ?1, ?2, ?3, 28)")
                .setParameter(1, abo).setParameter(2, rhd).setParameter(3, today).executeUpdate());
    }

    private List<SupplyAlerts.Alert> changesFor(List<SupplyAlerts.Alert> changes, String abo, String rhd) {
        return changes.stream().filter(a -> "REGION".equals(a.scope()) && a.component().name().equals("PLT_AP") && a.abo().name().equals(abo)
                && a.rhd().name().equals(rhd)).toList();
    }

    @Test
    void redIsDeclaredAtOnceAndClearedWhenStockArrives() {
        issueHistory("AB", "NEG");
        List<SupplyAlerts.Alert> raised = changesFor(alerts.evaluate(today), "AB", "NEG");
        assertEquals(1, raised.size());
        assertEquals("RED", raised.get(0).level().name());
        assertEquals(0.0, raised.get(0).daysOfSupply());
        assertTrue(changesFor(alerts.evaluate(today), "AB", "NEG").isEmpty(), "an open alert is not raised twice");
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/alerts?active=true").then().statusCode(200)
                .body("items.id", hasItem(raised.get(0).id().toString()));

        for (int i = 0; i < 3; i++) {
            release(unitJson(newDin(), "PLT_AP", "AB", "NEG", 1, yesterday())).statusCode(201);
        }
        List<SupplyAlerts.Alert> cleared = changesFor(alerts.evaluate(today), "AB", "NEG");
        assertEquals(1, cleared.size());
        assertEquals(raised.get(0).id(), cleared.get(0).id());
        assertTrue(cleared.get(0).clearedAt() != null);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts?active=true").then()
                .body("items.id", not(hasItem(raised.get(0).id().toString())));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts").then()
                .body("items.id", hasItem(raised.get(0).id().toString()));
        given().get("/api/v1/alerts").then().statusCode(401);
    }

    @Test
    void yellowIsDeclaredOnlyAfterThreeConsecutiveDays() {
        issueHistory("A", "NEG");
        release(unitJson(newDin(), "PLT_AP", "A", "NEG", 1, yesterday())).statusCode(201); // 1 day of supply: YELLOW
        assertTrue(changesFor(alerts.evaluate(today.minusDays(2)), "A", "NEG").isEmpty(), "day 1: not yet");
        assertTrue(changesFor(alerts.evaluate(today.minusDays(1)), "A", "NEG").isEmpty(), "day 2: not yet");
        List<SupplyAlerts.Alert> raised = changesFor(alerts.evaluate(today), "A", "NEG");
        assertEquals(1, raised.size(), "day 3: declared");
        assertEquals("YELLOW", raised.get(0).level().name());
    }
}
