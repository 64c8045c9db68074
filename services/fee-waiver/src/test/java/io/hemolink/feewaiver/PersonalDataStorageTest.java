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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.hemolink.feewaiver.Api.billJson;
import static io.hemolink.feewaiver.Api.claim;
import static io.hemolink.feewaiver.Api.donate;
import static io.hemolink.feewaiver.Api.newBill;
import static io.hemolink.feewaiver.Api.post;
import static io.hemolink.feewaiver.Api.rbc;
import static io.hemolink.feewaiver.Api.relate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PIPL: after every kind of write (donation, relation, topic donation, quote, claims, reversal, settlement), no
 * column of any table in the database holds an ID number (nor its first 17 digits) or a name in clear, and no
 * event or log line does either.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class PersonalDataStorageTest {

    @Inject
    EntityManager em;

    @Inject
    PersonalData personalData;

    @Inject
    ObjectMapper mapper;

    @Test
    void noIdNumberOrNameIsStoredInClearAnywhere() throws Exception {
        String donor = People.idNumber();
        String donorName = People.name();
        String spouse = People.idNumber();
        String spouseName = People.name();
        String fromTopic = People.idNumber();
        donate(donor, donorName, 300, 10).statusCode(201);
        relate(TestTokens.hospital("H001"), donor, spouse, "SPOUSE").statusCode(201);
        String donationId = "DN-" + UUID.randomUUID().toString().substring(0, 12);
        KafkaProbe.send(Topics.DONATIONS, donationId, mapper.writeValueAsString(new DonationRecorded(donationId,
                        personalData.hash(fromTopic), Instant.now().minusSeconds(86400), DonationKind.APHERESIS_PLATELETS,
                        null, 1, false)),
                CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE, Events.DONATION_RECORDED.ceType());
        Api.quote(TestTokens.his("H001"), billJson("H001", newBill(), spouse, spouseName, rbc(1, "220"), null)).statusCode(200);
        List<String> waivers = new ArrayList<>();
        waivers.add(given("H001").header("Idempotency-Key", UUID.randomUUID().toString()).body(
                billJson("H001", newBill(), spouse, spouseName, rbc(2, "440"), null)).post("/api/v1/fee-waivers")
                .then().statusCode(201).extract().path("waiverId"));
        waivers.add(claim(TestTokens.his("H002"), billJson("H002", newBill(), donor, donorName, rbc(1, "220"), "20"))
                .statusCode(201).extract().path("waiverId"));
        post(TestTokens.waiverAdmin(), "/fee-waivers/" + waivers.get(1) + "/reversal", "{\"reason\":\"bill cancelled\"}")
                .statusCode(200);
        awaitDonor(fromTopic);

        Set<String> secrets = new LinkedHashSet<>();
        for (String id : List.of(donor, spouse, fromTopic, BadInputTest.DONOR)) {
            secrets.add(id);
            secrets.add(id.toLowerCase());
            secrets.add(id.substring(0, 17));
        }
        for (String id : People.all()) {
            secrets.add(id);
            secrets.add(id.substring(0, 17));
        }
        secrets.addAll(List.of(donorName, spouseName, BadInputTest.NAME));
        secrets.addAll(People.NAMES);

        List<String[]> columns = columns();
        assertTrue(columns.size() > 40, "every column of every table: " + columns.size());
        // the scan sees the data: the lookup hash of the donor is there (and only the hash)
        assertFalse(where(columns, personalData.hash(donor)).isEmpty(), "the scan reaches the donor table");
        for (String secret : secrets) {
            assertEquals(List.of(), where(columns, secret), "found in clear");
        }

        java.nio.file.Path log = java.nio.file.Path.of("target/fee-waiver-test.log");
        assertTrue(java.nio.file.Files.exists(log), "the test log is written");
        String logged = java.nio.file.Files.readString(log);
        assertTrue(logged.contains("fee-waiver"), "the log has content");
        for (String secret : secrets) {
            assertFalse(logged.contains(secret), "an ID number or name in the log");
        }

        for (String waiverId : waivers) {
            for (ConsumerRecord<String, String> r : KafkaProbe.read(Topics.WAIVERS, rec -> waiverId.equals(rec.key()), 1,
                    Duration.ofSeconds(20))) {
                for (String secret : secrets) {
                    assertFalse(r.value().contains(secret), "an event carries personal data");
                }
            }
        }
    }

    private static io.restassured.specification.RequestSpecification given(String hospital) {
        return io.restassured.RestAssured.given().auth().oauth2(TestTokens.hospital(hospital)).contentType("application/json");
    }

    @SuppressWarnings("unchecked")
    private List<String[]> columns() {
        return QuarkusTransaction.requiringNew().call(() -> ((List<Object[]>) em.createNativeQuery(
                        "select table_name, column_name from information_schema.columns where table_schema = current_schema()"
                                + " order by table_name, ordinal_position").getResultList())
                .stream().map(r -> new String[]{(String) r[0], (String) r[1]}).toList());
    }

    /** "table.column" of every column whose text holds {@code needle}. */
    private List<String> where(List<String[]> columns, String needle) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> found = new ArrayList<>();
            for (String[] c : columns) {
                Number n = (Number) em.createNativeQuery("select count(*) from \"" + c[0] + "\" where strpos(cast(\""
                        + c[1] + "\" as text), ?1) > 0").setParameter(1, needle).getSingleResult();
                if (n.longValue() > 0) {
                    found.add(c[0] + "." + c[1]);
                }
            }
            return found;
        });
    }

    private void awaitDonor(String idNumber) throws InterruptedException {
        String hash = personalData.hash(idNumber);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long n = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "select count(*) from donor where id_hash = ?1").setParameter(1, hash).getSingleResult()).longValue());
            if (n == 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the topic donation did not arrive");
    }
}
