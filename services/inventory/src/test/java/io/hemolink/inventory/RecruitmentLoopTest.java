package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.feewaiver.DonationKind;
import io.hemolink.contracts.events.feewaiver.DonationRecorded;
import io.hemolink.contracts.events.inventory.RecruitmentRequested;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.domain.SupplyAlerts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.hemolink.inventory.UnitsApiTest.yesterday;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closed-loop donor recruitment (api.md; ADR 0038), on real PostgreSQL and Kafka: a region alert raised for a group
 * asks for units on the alerts topic, donations of that group made afterwards are counted on the alert, and nothing
 * else is; a worsening asks again, an improvement keeps the standing request.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class RecruitmentLoopTest {

    @Inject
    SupplyAlerts alerts;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper mapper;

    private final LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    /** {@code quantity} issued at H002 today: quantity / 28 a day over the 28-day window. */
    private void issued(String component, String abo, String rhd, int quantity) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into daily_issue (location_id, component, abo, rhd, day, quantity) values ('H002', ?1, ?2, ?3, ?4, ?5)
                        on conflict (location_id, component, abo, rhd, day) do update set quantity = excluded.quantity""")
                .setParameter(1, component).setParameter(2, abo).setParameter(3, rhd).setParameter(4, today)
                .setParameter(5, quantity).executeUpdate());
    }

    private void forgetIssues(String component, String abo, String rhd) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "delete from daily_issue where component = ?1 and abo = ?2 and rhd = ?3")
                .setParameter(1, component).setParameter(2, abo).setParameter(3, rhd).executeUpdate());
    }

    private SupplyAlerts.Alert raisedIn(List<SupplyAlerts.Alert> changes, String component, String abo, String rhd) {
        List<SupplyAlerts.Alert> raised = changes.stream().filter(a -> SupplyAlerts.REGION.equals(a.scope())
                && a.component().name().equals(component) && a.abo().name().equals(abo) && a.rhd().name().equals(rhd)
                && a.clearedAt() == null).toList();
        return raised.isEmpty() ? null : raised.get(0);
    }

    private List<RecruitmentRequested> requests(String key, int expected, Duration timeout) throws Exception {
        List<RecruitmentRequested> found = new ArrayList<>();
        for (ConsumerRecord<String, String> r : KafkaProbe.read(Topics.ALERTS, r -> key.equals(r.key())
                && Events.RECRUITMENT_REQUESTED.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), expected, timeout)) {
            found.add(mapper.readValue(r.value(), RecruitmentRequested.class));
        }
        return found;
    }

    private String donation(String donationId, Instant donatedAt, DonationKind kind, Integer volumeMl, Integer doses,
                            Abo abo, RhD rhd, String eventId) throws Exception {
        DonationRecorded e = new DonationRecorded(donationId, "ab".repeat(32), donatedAt, kind, volumeMl, doses,
                rhd == RhD.NEG, abo, rhd);
        KafkaProbe.send(Topics.DONATIONS, donationId, mapper.writeValueAsString(e), CloudEventHeaders.ID, eventId,
                CloudEventHeaders.TYPE, Events.DONATION_RECORDED.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0",
                CloudEventHeaders.SOURCE, "/station/donor-system");
        return eventId;
    }

    private void awaitProcessed(List<String> eventIds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long n = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                            "select count(*) from processed_event where consumer = 'inventory-donations' and event_id in (:ids)")
                    .setParameter("ids", eventIds).getSingleResult()).longValue());
            if (n == eventIds.stream().distinct().count()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("donation events not consumed: " + eventIds);
    }

    private Map<String, Object> listed(UUID id, boolean activeOnly) {
        List<Map<String, Object>> items = given().auth().oauth2(TestTokens.dispatcher())
                .get("/api/v1/alerts" + (activeOnly ? "?active=true" : "")).then().statusCode(200)
                .extract().path("items");
        return items.stream().filter(i -> id.toString().equals(i.get("id"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> recruitment(Map<String, Object> alert) {
        return (Map<String, Object>) alert.get("recruitment");
    }

    @Test
    void anAlertAsksForUnitsAndCountsOnlyLaterDonationsOfItsGroupOnce() throws Exception {
        // whole blood B RhD-negative: 2 U a day issued, one 2 U bag at the station: 1 day of supply, RED at once
        issued("WB", "B", "NEG", 56);
        try {
            release(unitJson(newDin(), "WB", "B", "NEG", 2, yesterday())).statusCode(201);
            SupplyAlerts.Alert alert = raisedIn(alerts.evaluate(today), "WB", "B", "NEG");
            assertNotNull(alert, "RED at once");
            assertEquals(Level.RED, alert.level());
            // back to GREEN (5 days) by 7 days ahead while 2 U a day go out: (5 + 7) x 2 - 2 on hand
            assertEquals(22, alert.recruitment().unitsNeeded());
            assertEquals(today.plusDays(7), alert.recruitment().byDate());

            List<RecruitmentRequested> asked = requests("WB|B|NEG", 1, Duration.ofSeconds(30));
            assertEquals(1, asked.size(), "the donor system is asked, on the alerts topic");
            RecruitmentRequested request = asked.get(0);
            assertEquals(alert.id().toString(), request.alertId());
            assertEquals(22, request.unitsNeeded());
            assertEquals(Level.RED, request.level());
            assertEquals(1.0, request.daysOfSupply());
            assertEquals(today.plusDays(7), request.byDate());
            Instant requestedAt = alert.recruitment().requestedAt();
            assertEquals(requestedAt.truncatedTo(ChronoUnit.MILLIS), request.requestedAt().truncatedTo(ChronoUnit.MILLIS));

            Map<String, Object> before = recruitment(listed(alert.id(), true));
            assertEquals(22, before.get("unitsNeeded"));
            assertEquals(0, before.get("donationsSince"));

            long sent = System.nanoTime();
            Instant after = Instant.now().plusSeconds(1);
            String counted = "DN-R-" + UUID.randomUUID().toString().substring(0, 8);
            String first = UUID.randomUUID().toString();
            List<String> events = new ArrayList<>();
            events.add(donation(counted, after, DonationKind.WHOLE_BLOOD, 400, null, Abo.B, RhD.NEG, first));
            donation(counted, after, DonationKind.WHOLE_BLOOD, 400, null, Abo.B, RhD.NEG, first); // delivered twice
            events.add(donation(counted, after, DonationKind.WHOLE_BLOOD, 400, null, Abo.B, RhD.NEG,
                    UUID.randomUUID().toString())); // the same donation under a new event id
            events.add(donation("DN-R-" + UUID.randomUUID().toString().substring(0, 8), after, DonationKind.WHOLE_BLOOD,
                    300, null, Abo.B, RhD.NEG, UUID.randomUUID().toString()));
            // none of these count: another group, before the request, no group, a kind that gives no whole blood
            events.add(donation("DN-R-" + UUID.randomUUID().toString().substring(0, 8), after, DonationKind.WHOLE_BLOOD,
                    400, null, Abo.B, RhD.POS, UUID.randomUUID().toString()));
            events.add(donation("DN-R-" + UUID.randomUUID().toString().substring(0, 8), requestedAt.minusSeconds(3600),
                    DonationKind.WHOLE_BLOOD, 400, null, Abo.B, RhD.NEG, UUID.randomUUID().toString()));
            events.add(donation("DN-R-" + UUID.randomUUID().toString().substring(0, 8), after, DonationKind.WHOLE_BLOOD,
                    400, null, null, null, UUID.randomUUID().toString()));
            events.add(donation("DN-R-" + UUID.randomUUID().toString().substring(0, 8), after,
                    DonationKind.APHERESIS_PLATELETS, null, 2, Abo.B, RhD.NEG, UUID.randomUUID().toString()));
            awaitProcessed(events);
            System.out.printf("8 donation events sent -> all counted: %d ms%n", (System.nanoTime() - sent) / 1_000_000);

            Map<String, Object> now = recruitment(listed(alert.id(), true));
            assertEquals(2, now.get("donationsSince"), "400 ml and 300 ml of B RhD-negative whole blood: " + now);
            assertEquals(3.5f, ((Number) now.get("unitsSince")).floatValue(), "1 U per 200 ml");
            assertEquals(22, now.get("unitsNeeded"));
            assertEquals(requestedAt.truncatedTo(ChronoUnit.MILLIS),
                    Instant.parse((String) now.get("requestedAt")).truncatedTo(ChronoUnit.MILLIS));
            // a hospital sees the same counts; no donor data is kept: only the donation's own facts
            given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/alerts?active=true").then().statusCode(200)
                    .body("items.find { it.id == '" + alert.id() + "' }.recruitment.donationsSince",
                            org.hamcrest.Matchers.equalTo(2));
            @SuppressWarnings("unchecked")
            List<String> columns = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select column_name from information_schema.columns where table_name = 'recruitment_donation'")
                    .getResultList());
            assertFalse(columns.stream().anyMatch(c -> c.contains("donor")), "no donor column: " + columns);
            assertFalse(QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select donation_id from recruitment_donation where donation_id like 'DN-R-%'").getResultList()).isEmpty());

            // an unusable donation (no time) is poison: to the dead-letter topic, counted nowhere
            String poison = "DN-R-" + UUID.randomUUID().toString().substring(0, 8);
            donation(poison, null, DonationKind.WHOLE_BLOOD, 400, null, Abo.B, RhD.NEG, UUID.randomUUID().toString());
            assertEquals(1, KafkaProbe.read(Topics.deadLetter(Topics.DONATIONS), r -> poison.equals(r.key()), 1,
                    Duration.ofSeconds(30)).size());
            assertEquals(2, recruitment(listed(alert.id(), true)).get("donationsSince"));

            // the other groups' alerts (none here) and local alerts carry no recruitment
            assertTrue(alerts.list(true, null).stream().filter(a -> !SupplyAlerts.REGION.equals(a.scope()))
                    .allMatch(a -> a.recruitment() == null), "only region alerts recruit");
        } finally {
            forgetIssues("WB", "B", "NEG");
        }
    }

    @Test
    void aWorseningAsksAgainAndAnImprovementKeepsTheStandingRequest() throws Exception {
        // pooled platelets O RhD-negative: 2 doses a day; 3 doses at the station are 1.5 days: YELLOW after 3 days
        issued("PLT_POOL", "O", "NEG", 56);
        try {
            String bag = newDin();
            release(unitJson(bag, "PLT_POOL", "O", "NEG", 3, yesterday())).statusCode(201);
            assertNull(raisedIn(alerts.evaluate(today.minusDays(2)), "PLT_POOL", "O", "NEG"));
            assertNull(raisedIn(alerts.evaluate(today.minusDays(1)), "PLT_POOL", "O", "NEG"));
            SupplyAlerts.Alert yellow = raisedIn(alerts.evaluate(today), "PLT_POOL", "O", "NEG");
            assertNotNull(yellow);
            assertEquals(Level.YELLOW, yellow.level());
            assertEquals(15, yellow.recruitment().unitsNeeded(), "(2 + 7) x 2 - 3");

            // the bag breaks: nothing left, RED at once: a new request, for more
            given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                    .body("{\"type\":\"DISCARDED\",\"reasonCode\":\"BROKEN\",\"occurredAt\":\""
                            + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}")
                    .post("/api/v1/units/" + bag + "/PLT_POOL/events").then().statusCode(201);
            SupplyAlerts.Alert red = raisedIn(alerts.evaluate(today), "PLT_POOL", "O", "NEG");
            assertNotNull(red);
            assertEquals(Level.RED, red.level());
            assertEquals(18, red.recruitment().unitsNeeded(), "(2 + 7) x 2 - 0");
            assertTrue(red.recruitment().requestedAt().isAfter(yellow.recruitment().requestedAt()), "a new request time");
            List<RecruitmentRequested> asked = requests("PLT_POOL|O|NEG", 2, Duration.ofSeconds(30));
            assertEquals(List.of(yellow.id().toString(), red.id().toString()),
                    asked.stream().map(RecruitmentRequested::alertId).toList());
            assertEquals(List.of(15, 18), asked.stream().map(RecruitmentRequested::unitsNeeded).toList());
            assertEquals(List.of(Level.YELLOW, Level.RED), asked.stream().map(RecruitmentRequested::level).toList());
            // the cleared YELLOW alert keeps what it asked for
            Map<String, Object> wasYellow = listed(yellow.id(), false);
            assertNotNull(wasYellow.get("clearedAt"));
            assertEquals(15, recruitment(wasYellow).get("unitsNeeded"));

            // one dose arrives: better than RED but still short: the alert changes, the standing request goes on
            release(unitJson(newDin(), "PLT_POOL", "O", "NEG", 1, yesterday())).statusCode(201);
            SupplyAlerts.Alert better = raisedIn(alerts.evaluate(today.plusDays(1)), "PLT_POOL", "O", "NEG");
            assertNotNull(better);
            assertNotEquals(red.id(), better.id());
            assertTrue(red.level().worseThan(better.level()), better.level().toString());
            assertEquals(red.recruitment().requestedAt(), better.recruitment().requestedAt());
            assertEquals(18, better.recruitment().unitsNeeded());
            assertEquals(2, requests("PLT_POOL|O|NEG", 3, Duration.ofSeconds(3)).size(), "no new request");
        } finally {
            forgetIssues("PLT_POOL", "O", "NEG");
        }
    }
}
