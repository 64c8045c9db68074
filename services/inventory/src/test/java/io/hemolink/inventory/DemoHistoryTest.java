package io.hemolink.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.config.InventoryConfig;
import io.hemolink.inventory.domain.DemoHistory;
import io.hemolink.inventory.domain.SupplyAlerts;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitMovement;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo history (ADR 0033) on its own empty database, turned on as up.sh turns it on, at a quarter of the demo's
 * demand: recorded once at start before the service is ready; every key of the balance board then has days of
 * supply with the average issue a count from the units' own histories gives; the wastage report equals the history's
 * discards and a count from the histories; nothing in stock is expired and every bag's life fits its shelf life; the
 * reconciliation finds nothing; an alert is raised; and a second run adds nothing.
 */
@QuarkusTest
@TestProfile(DemoHistoryTest.Demo.class)
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory_demo_history"))
class DemoHistoryTest {

    /**
     * The history on, as {@code deploy/local/up.sh} has it, at a quarter of the demand (a faster test), or at the
     * scale {@code -Dhemolink.test.demo-history.scale} gives (1 measures the demo's own size).
     */
    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hemolink.inventory.demo-history.enabled", "true",
                    "hemolink.inventory.demo-history.scale", System.getProperty("hemolink.test.demo-history.scale", "0.25"));
        }
    }

    @Inject
    DemoHistory history;

    @Inject
    SupplyAlerts alerts;

    @Inject
    InventoryConfig config;

    @Inject
    EntityManager em;

    @Test
    void aFreshLedgerGetsFourWeeksOfPastOnceThroughTheLedger() throws Exception {
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (!history.settled() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(history.settled(), "the history was recorded within 4 minutes");
        System.out.printf("demo history: %s%n", history.last());
        given().get("/q/health/ready").then().statusCode(200);
        DemoHistory.Summary summary = history.last();
        assertNotNull(summary, "the history ran at start");
        assertTrue(summary.bags() > 200, "bags: " + summary.bags());
        Instant now = Instant.now();

        // the units' own histories, counted independently of the ledger's kept tables
        List<Unit> units = QuarkusTransaction.requiringNew().call(() -> Unit.<Unit>listAll());
        assertEquals(summary.bags(), units.size());
        LocalDate windowStart = LocalDate.now(config.zone()).minusDays(config.issueWindowDays() - 1L);
        Map<String, Long> issuedInWindow = new TreeMap<>();
        Map<String, Integer> received = new TreeMap<>();
        Map<DiscardReason, Integer> wasted = new EnumMap<>(DiscardReason.class);
        Map<Long, List<UnitMovement>> histories = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (UnitMovement m : UnitMovement.<UnitMovement>list("order by id")) {
                histories.computeIfAbsent(m.unitId, k -> new java.util.ArrayList<>()).add(m);
            }
        });
        int movements = 0;
        for (Unit u : units) {
            List<UnitMovement> h = histories.get(u.id);
            movements += h.size();
            assertEquals(MovementType.RECEIVED, h.get(0).type, u.din + " starts with its release");
            assertTrue(!u.expiresAt.isAfter(u.collectedAt.plus(u.component.longestShelfLife())),
                    u.din + " " + u.component + " keeps no longer than its shelf life");
            assertTrue(h.get(0).occurredAt.isAfter(u.collectedAt), u.din + " released after collection");
            Instant previous = u.collectedAt;
            for (UnitMovement m : h) {
                assertTrue(!m.occurredAt.isBefore(previous), u.din + ": movements in time order");
                assertTrue(m.occurredAt.isBefore(now), u.din + ": nothing in the future");
                assertTrue(!m.occurredAt.isAfter(u.expiresAt), u.din + ": nothing after its expiry");
                assertEquals(DemoHistory.ACTOR, m.actor);
                previous = m.occurredAt;
                switch (m.type) {
                    case TRANSFUSED -> {
                        assertTrue(m.occurredAt.isBefore(u.expiresAt), u.din + " transfused before it expired");
                        assertNotNull(m.patientRef);
                        if (!LocalDate.ofInstant(m.occurredAt, config.zone()).isBefore(windowStart)) {
                            issuedInWindow.merge(u.component + "|" + u.abo + "|" + u.rhd, (long) u.quantity, Long::sum);
                        }
                    }
                    case RECEIVED_AT_HOSPITAL -> received.merge(m.toLocationId, 1, Integer::sum);
                    case DISCARDED, EXPIRED -> {
                        assertNotNull(m.reasonCode, u.din + ": a waste carries its code");
                        wasted.merge(m.reasonCode, 1, Integer::sum);
                    }
                    default -> {
                    }
                }
            }
            if (!u.status.isFinal()) {
                assertTrue(u.expiresAt.isAfter(now), u.din + " " + u.component + " is in stock and not expired");
            }
        }
        assertEquals(summary.movements(), movements);
        assertEquals(summary.receivedByHospital(), received);
        assertEquals(summary.wastedByReason(), wasted);
        assertTrue(wasted.size() >= 3, "a few discards with several reasons: " + wasted);
        assertTrue(summary.returnedToStock() > 0, "some bags came back");

        // every component x group has days of supply, from exactly the issues the histories show
        JsonPath board = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock/balance").then()
                .statusCode(200).extract().jsonPath();
        int withDays = 0;
        for (Map<String, Object> row : board.<Map<String, Object>>getList("rows")) {
            String key = row.get("component") + "|" + row.get("abo") + "|" + row.get("rhd");
            if (row.get("daysOfSupply") != null) {
                withDays++;
            }
            long issued = issuedInWindow.getOrDefault(key, 0L);
            Double average = issued == 0 ? null : Math.round((double) issued / config.issueWindowDays() * 100) / 100.0;
            Number shown = (Number) row.get("avgDailyIssue");
            assertEquals(average == null, shown == null, key);
            if (average != null) {
                assertEquals(average, shown.doubleValue(), 1e-3, key); // JSON read back as a float
            }
        }
        assertEquals(Component.values().length * Abo.values().length * RhD.values().length, withDays,
                "every cell of the board has days of supply");

        // the wastage report equals the histories' count, by reason and in total
        JsonPath report = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/reports/wastage?by=reason").then()
                .statusCode(200).extract().jsonPath();
        Map<DiscardReason, Integer> reported = new EnumMap<>(DiscardReason.class);
        for (Map<String, Object> row : report.<Map<String, Object>>getList("rows")) {
            reported.put(DiscardReason.valueOf((String) row.get("reason")), ((Number) row.get("wasted")).intValue());
        }
        assertEquals(wasted, reported);
        assertEquals(received.values().stream().mapToInt(Integer::intValue).sum(), report.getInt("totals.issued"));
        assertEquals(wasted.values().stream().mapToInt(Integer::intValue).sum(), report.getInt("totals.wasted"));

        // stock levels as the ledger says, nothing expired in stock
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock/reconciliation").then().statusCode(200)
                .body("consistent", equalTo(true));
        Number expiredInStock = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select count(*) from unit where status in ('AVAILABLE', 'RESERVED', 'QUARANTINED', 'IN_TRANSIT')"
                        + " and expires_at <= now()").getSingleResult());
        assertEquals(0, expiredInStock.intValue());
        assertEquals(summary.leftInStock(), units.stream().filter(u -> u.status == UnitStatus.AVAILABLE).count());

        // the levels the history leaves raise alerts (a hospital that used a key it no longer holds)
        List<SupplyAlerts.Alert> raised = alerts.evaluate(LocalDate.now(config.zone()));
        assertFalse(raised.isEmpty(), "at least one alert");
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts?active=true").then().statusCode(200)
                .body("items.size()", equalTo(raised.size()));

        // a second run (a second up.sh on the same data) adds nothing
        DemoHistory.Summary again = history.generate(Instant.now());
        assertEquals(0, again.bags());
        Number after = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select count(*) from unit_movement").getSingleResult());
        assertEquals(movements, after.intValue());
    }
}
