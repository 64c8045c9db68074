package io.hemolink.feewaiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.feewaiver.DonationKind;
import io.hemolink.contracts.events.feewaiver.DonationRecorded;
import io.hemolink.feewaiver.domain.PersonalData;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.hemolink.feewaiver.Api.donate;
import static io.hemolink.feewaiver.Api.donationJson;
import static io.hemolink.feewaiver.Api.entitlement;
import static io.hemolink.feewaiver.Api.post;
import static io.hemolink.feewaiver.Api.relate;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Donations (API and topic), relations and the entitlement query, on real PostgreSQL and Kafka (rule set ZJ-2025). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class DonationsAndRelationsTest {

    @Inject
    PersonalData personalData;

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager em;

    @Test
    void aDonationIsRecordedOnceAndShownMasked() {
        String id = People.idNumber();
        String name = People.name();
        String donationId = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        String body = donationJson(donationId, id, name, Api.daysAgo(30), 200);
        String ref = post(TestTokens.waiverAdmin(), "/donations", body).statusCode(201)
                .body("donorIdNumber", equalTo(id.substring(0, 4) + "**********" + id.substring(14)))
                .body("donorName", equalTo(name.charAt(0) + "***"))
                .body("volumeMl", equalTo(200)).body("source", equalTo("API"))
                .extract().path("donorRef");
        post(TestTokens.waiverAdmin(), "/donations", body).statusCode(200).body("donorRef", equalTo(ref));
        post(TestTokens.waiverAdmin(), "/donations", donationJson(donationId, People.idNumber(), name, Api.daysAgo(30), 200))
                .statusCode(409).body("code", equalTo("DONATION_EXISTS"));

        entitlement(TestTokens.hospital("H001"), id).statusCode(200)
                .body("donorRef", equalTo(ref)).body("donations", equalTo(1)).body("donatedMl", equalTo(200))
                .body("lifetime", equalTo(false)).body("ruleSet", equalTo("ZJ-2025"))
                .body("self.remainingMl", equalTo(1000.0f)).body("relatives.remainingMl", equalTo(400.0f))
                .body("idNumber", equalTo(id.substring(0, 4) + "**********" + id.substring(14)));
        donate(id, name, 200, 10).statusCode(201);
        entitlement(TestTokens.his("H002"), id).statusCode(200).body("donations", equalTo(2)).body("lifetime", equalTo(true))
                .body("self.unlimited", equalTo(true)).body("self.remainingMl", nullValue());
    }

    @Test
    void aDonationsGroupIsStoredReturnedAndPublishedWithoutPersonalData() throws Exception {
        String id = People.idNumber();
        String name = People.name();
        String donationId = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        String body = donationJson(donationId, id, name, Api.daysAgo(1), 400).replace("\"rhdNegative\":false",
                "\"rhdNegative\":true,\"abo\":\"B\",\"rhd\":\"NEG\"");
        post(TestTokens.waiverAdmin(), "/donations", body).statusCode(201)
                .body("abo", equalTo("B")).body("rhd", equalTo("NEG")).body("rhdNegative", equalTo(true));
        var published = KafkaProbe.read(Topics.DONATIONS, r -> donationId.equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, published.size());
        assertEquals(Events.DONATION_RECORDED.ceType(), KafkaProbe.header(published.get(0), CloudEventHeaders.TYPE));
        String json = published.get(0).value();
        DonationRecorded event = mapper.readValue(json, DonationRecorded.class);
        assertEquals(io.hemolink.contracts.blood.Abo.B, event.abo());
        assertEquals(io.hemolink.contracts.blood.RhD.NEG, event.rhd());
        assertEquals(400, event.volumeMl());
        assertEquals(personalData.hash(id), event.donorIdHash(), "the donor only by the keyed hash");
        org.junit.jupiter.api.Assertions.assertFalse(json.contains(id) || json.contains(name), "no ID number, no name: " + json);

        // the same body again (a retry without a key) is the donation as it was, published once
        post(TestTokens.waiverAdmin(), "/donations", body).statusCode(200).body("abo", equalTo("B"));
        // only the ABO group: the RhD is the one rhdNegative states
        String aboOnly = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        post(TestTokens.waiverAdmin(), "/donations", donationJson(aboOnly, id, name, Api.daysAgo(1), 200)
                .replace("\"rhdNegative\":false", "\"rhdNegative\":false,\"abo\":\"AB\""))
                .statusCode(201).body("abo", equalTo("AB")).body("rhd", equalTo("POS"));
        // without a group: none shown, none published
        String none = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        post(TestTokens.waiverAdmin(), "/donations", donationJson(none, id, name, Api.daysAgo(1), 200)).statusCode(201)
                .body("abo", nullValue()).body("rhd", nullValue());
        DonationRecorded plain = mapper.readValue(KafkaProbe.read(Topics.DONATIONS, r -> none.equals(r.key()), 1,
                Duration.ofSeconds(30)).get(0).value(), DonationRecorded.class);
        assertEquals(null, plain.abo());
        assertEquals(null, plain.rhd());
        assertEquals(1, KafkaProbe.read(Topics.DONATIONS, r -> donationId.equals(r.key()), 2, Duration.ofSeconds(2)).size(),
                "a donation recorded once is published once");
    }

    @Test
    void aDonationFromTheTopicKeepsItsGroupAndOneThatContradictsItselfIsPoison() throws Exception {
        String id = People.idNumber();
        String donationId = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        send(donationId, new DonationRecorded(donationId, personalData.hash(id), Instant.now().minus(2, ChronoUnit.DAYS),
                DonationKind.APHERESIS_PLATELETS, null, 2, false, io.hemolink.contracts.blood.Abo.O,
                io.hemolink.contracts.blood.RhD.POS), UUID.randomUUID().toString());
        String contradicting = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        send(contradicting, new DonationRecorded(contradicting, personalData.hash(id), Instant.now().minus(2, ChronoUnit.DAYS),
                DonationKind.WHOLE_BLOOD, 400, null, false, io.hemolink.contracts.blood.Abo.O,
                io.hemolink.contracts.blood.RhD.NEG), UUID.randomUUID().toString());
        assertEquals(1, KafkaProbe.read(Topics.deadLetter(Topics.DONATIONS), r -> contradicting.equals(r.key()), 1,
                Duration.ofSeconds(30)).size());
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select abo, rhd, source from donation where donation_id = ?1").setParameter(1, donationId).getSingleResult());
        assertEquals("O", row[0]);
        assertEquals("POS", row[1]);
        assertEquals("KAFKA", row[2]);
        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from donation where donation_id = ?1").setParameter(1, contradicting).getSingleResult()).longValue());
        assertEquals(0, rows);
    }

    @Test
    void onlyTheWaiverAdministrationRecordsDonations() {
        String body = donationJson("DN-" + UUID.randomUUID().toString().substring(0, 12), People.idNumber(), People.name(),
                Api.daysAgo(3), 400);
        post(TestTokens.hospital("H001"), "/donations", body).statusCode(403).contentType("application/problem+json");
        post(TestTokens.dispatcher(), "/donations", body).statusCode(403);
        io.restassured.RestAssured.given().contentType("application/json").body(body).post("/api/v1/donations").then()
                .statusCode(401);
    }

    @Test
    void relationsNeedEvidenceAndAreRegisteredOnce() {
        String donor = People.idNumber();
        String spouse = People.idNumber();
        donate(donor, People.name(), 300, 40).statusCode(201);
        relate(TestTokens.hospital("H002"), donor, spouse, "SPOUSE").statusCode(201)
                .body("relation", equalTo("SPOUSE")).body("createdBy", equalTo("hospital-h002"))
                .body("relativeIdNumber", equalTo(spouse.substring(0, 4) + "**********" + spouse.substring(14)));
        relate(TestTokens.waiverAdmin(), donor, spouse, "SPOUSE").statusCode(409).body("code", equalTo("RELATION_EXISTS"));
        relate(TestTokens.waiverAdmin(), donor, donor, "CHILD").statusCode(422).body("code", equalTo("RELATION_INVALID"));
        relate(TestTokens.dispatcher(), donor, People.idNumber(), "CHILD").statusCode(403);
        post(TestTokens.waiverAdmin(), "/donors/relations", "{\"donorIdNumber\":\"" + donor + "\",\"relativeIdNumber\":\""
                + People.idNumber() + "\",\"relation\":\"CHILD\"}").statusCode(422).body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", org.hamcrest.Matchers.hasItem("evidenceRef"));

        // the spouse draws on the donor's relatives' pool: 2 x 300 ml within 5 years
        entitlement(TestTokens.hospital("H001"), spouse).statusCode(200).body("donorRef", nullValue())
                .body("asRelative", hasSize(1)).body("asRelative[0].relation", equalTo("SPOUSE"))
                .body("asRelative[0].covered", equalTo(true)).body("asRelative[0].relatives.remainingMl", equalTo(600.0f));
        entitlement(TestTokens.waiverAdmin(), People.idNumber()).statusCode(404).body("code", equalTo("NOT_FOUND"));
        entitlement(TestTokens.waiverAdmin(), People.withWrongCheck(donor)).statusCode(422)
                .body("code", equalTo("ID_NUMBER_INVALID"));
    }

    @Test
    void aDonationFromTheTopicCountsOnceHoweverOftenItComes() throws Exception {
        String id = People.idNumber();
        String donationId = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        DonationRecorded event = new DonationRecorded(donationId, personalData.hash(id),
                Instant.now().minus(20, ChronoUnit.DAYS), DonationKind.WHOLE_BLOOD, 200, null, false);
        String eventId = UUID.randomUUID().toString();
        String again = UUID.randomUUID().toString();
        send(donationId, event, eventId);
        send(donationId, event, eventId);
        // the donor system sends the same donation again under a new event id: still one donation
        send(donationId, event, again);
        awaitProcessed(again);
        entitlement(TestTokens.waiverAdmin(), id).statusCode(200).body("donations", equalTo(1))
                .body("donatedMl", equalTo(200)).body("self.remainingMl", equalTo(1000.0f));
        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from donation where donation_id = ?1").setParameter(1, donationId).getSingleResult()).longValue());
        assertEquals(1, rows);
        long processed = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from processed_event where event_id in (?1, ?2)").setParameter(1, eventId)
                .setParameter(2, again).getSingleResult()).longValue());
        assertEquals(2, processed, "both event ids were seen, the duplicate delivery once");

        // the donation is the donor's: the administration later adds the ID number and name, same donor
        donate(id, People.name(), 200, 5).statusCode(201);
        entitlement(TestTokens.waiverAdmin(), id).statusCode(200).body("donations", equalTo(2));
    }

    @Test
    void aDonationEventWithoutAUsableDonorHashGoesToTheDeadLetterTopic() throws Exception {
        String donationId = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        DonationRecorded event = new DonationRecorded(donationId, "33010619900101123X", Instant.now(),
                DonationKind.WHOLE_BLOOD, 200, null, false);
        send(donationId, event, UUID.randomUUID().toString());
        assertEquals(1, KafkaProbe.read(Topics.deadLetter(Topics.DONATIONS), r -> donationId.equals(r.key()), 1,
                Duration.ofSeconds(30)).size());
        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from donation where donation_id = ?1").setParameter(1, donationId).getSingleResult()).longValue());
        assertEquals(0, rows);
    }

    private void send(String key, DonationRecorded event, String eventId) throws Exception {
        KafkaProbe.send(Topics.DONATIONS, key, mapper.writeValueAsString(event), CloudEventHeaders.ID, eventId,
                CloudEventHeaders.TYPE, Events.DONATION_RECORDED.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0",
                CloudEventHeaders.SOURCE, "/station/donor-system");
    }

    private void awaitProcessed(String eventId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long n = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "select count(*) from processed_event where event_id = ?1").setParameter(1, eventId)
                    .getSingleResult()).longValue());
            if (n == 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("event " + eventId + " was not consumed");
    }
}
