package io.hemolink.feewaiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.feewaiver.WaiverClaimed;
import io.hemolink.contracts.events.feewaiver.WaiverReversed;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static io.hemolink.feewaiver.Api.billJson;
import static io.hemolink.feewaiver.Api.claim;
import static io.hemolink.feewaiver.Api.donate;
import static io.hemolink.feewaiver.Api.entitlement;
import static io.hemolink.feewaiver.Api.newBill;
import static io.hemolink.feewaiver.Api.post;
import static io.hemolink.feewaiver.Api.quote;
import static io.hemolink.feewaiver.Api.rbc;
import static io.hemolink.feewaiver.Api.relate;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Quotes, claims (idempotent per hospital bill), reversals and the waiver list, under ZJ-2025. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class ClaimsTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void aQuoteSaysWhoseEntitlementAndWhatIsLeftToPay() {
        String donor = People.idNumber();
        String name = People.name();
        String ref = donate(donor, name, 200, 100).statusCode(201).extract().path("donorRef");
        // 200 ml within 5 years: 5 x 200 = 1000 ml; 6 U RBC (1200 ml) 1320 -> 1100 waived, 220 to pay
        quote(TestTokens.his("H001"), billJson("H001", newBill(), donor, name, rbc(6, "1320.00"), null)).statusCode(200)
                .body("eligible", equalTo(true)).body("ruleSet", equalTo("ZJ-2025"))
                .body("waivableYuan", equalTo(1100.00f)).body("patientPaysYuan", equalTo(220.00f))
                .body("basis", hasSize(1)).body("basis[0].donorRef", equalTo(ref)).body("basis[0].relation", equalTo("SELF"))
                .body("reasons", hasItem(startsWith("ENTITLEMENT")));

        String mother = People.idNumber();
        relate(TestTokens.waiverAdmin(), donor, mother, "PARENT").statusCode(201);
        // relatives: 2 x 200 = 400 ml; 2 U RBC 440 with 100 covered by insurance -> 340 waived, 0 to pay
        quote(TestTokens.hospital("H002"), billJson("H002", newBill(), mother, People.name(), rbc(2, "440"), "100"))
                .statusCode(200).body("eligible", equalTo(true)).body("waivableYuan", equalTo(340.00f))
                .body("patientPaysYuan", equalTo(0.00f)).body("basis[0].relation", equalTo("PARENT"))
                .body("reasons", hasItem(startsWith("INSURANCE")));

        String brother = People.idNumber();
        relate(TestTokens.waiverAdmin(), donor, brother, "SIBLING").statusCode(201);
        quote(TestTokens.hospital("H001"), billJson("H001", newBill(), brother, People.name(), rbc(2, "440"), null))
                .statusCode(200).body("eligible", equalTo(false)).body("waivableYuan", equalTo(0.00f))
                .body("patientPaysYuan", equalTo(440.00f)).body("reasons", hasItem(startsWith("RELATION_NOT_COVERED")));
        quote(TestTokens.hospital("H001"), billJson("H001", newBill(), People.idNumber(), People.name(), rbc(2, "440"), null))
                .statusCode(200).body("eligible", equalTo(false)).body("reasons", hasItem(startsWith("NO_ENTITLEMENT")));
    }

    @Test
    void theSameBillClaimedAgainIsTheSameWaiverNeverASecond() throws Exception {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 200, 50).statusCode(201);
        String bill = newBill();
        String body = billJson("H001", bill, donor, name, rbc(2, "440"), null);
        String waiverId = claim(TestTokens.hospital("H001"), body).statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/fee-waivers/"))
                .body("status", equalTo("CLAIMED")).body("waivedYuan", equalTo(440.00f))
                .body("patientIdNumber", equalTo(donor.substring(0, 4) + "**********" + donor.substring(14)))
                .body("patientName", equalTo(name.charAt(0) + "***"))
                .extract().path("waiverId");
        // the HIS retries the same bill (another client of the same hospital): that waiver again
        claim(TestTokens.his("H001"), body).statusCode(200).body("waiverId", equalTo(waiverId));
        claim(TestTokens.hospital("H001"), billJson("H001", bill, donor, name, rbc(3, "660"), null)).statusCode(409)
                .body("code", equalTo("BILL_ALREADY_CLAIMED"));
        // 1000 ml less the 400 ml of this waiver
        entitlement(TestTokens.waiverAdmin(), donor).body("self.usedMl", equalTo(400.0f)).body("self.remainingMl", equalTo(600.0f));

        List<ConsumerRecord<String, String>> events = KafkaProbe.read(Topics.WAIVERS, r -> waiverId.equals(r.key()), 2,
                Duration.ofSeconds(5));
        assertEquals(1, events.size(), "one WaiverClaimed, however often the bill is claimed");
        assertEquals(Events.WAIVER_CLAIMED.ceType(), KafkaProbe.header(events.get(0), CloudEventHeaders.TYPE));
        WaiverClaimed claimed = mapper.readValue(events.get(0).value(), WaiverClaimed.class);
        assertEquals(new BigDecimal("440.00"), claimed.waivedYuan());
        assertEquals("SELF", claimed.relation());
        assertEquals(bill, claimed.billNo());

        // an Idempotency-Key replays the first response
        String other = billJson("H001", newBill(), donor, name, rbc(1, "220"), null);
        String first = given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", "k-" + bill)
                .contentType("application/json").body(other).post("/api/v1/fee-waivers").then().statusCode(201)
                .extract().path("waiverId");
        given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", "k-" + bill)
                .contentType("application/json").body(other).post("/api/v1/fee-waivers").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("waiverId", equalTo(first));
    }

    @Test
    void aReversalRestoresTheEntitlementOnce() throws Exception {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 200, 50).statusCode(201);
        String waiverId = claim(TestTokens.his("H002"), billJson("H002", newBill(), donor, name, rbc(5, "1100"), null))
                .statusCode(201).body("waivedYuan", equalTo(1100.00f)).extract().path("waiverId");
        entitlement(TestTokens.waiverAdmin(), donor).body("self.remainingMl", equalTo(0.0f));
        claim(TestTokens.his("H002"), billJson("H002", newBill(), donor, name, rbc(1, "220"), null)).statusCode(422)
                .body("code", equalTo("NOT_ELIGIBLE"));

        // another hospital neither sees nor reverses it
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/fee-waivers/" + waiverId).then().statusCode(404);
        post(TestTokens.hospital("H001"), "/fee-waivers/" + waiverId + "/reversal", "{\"reason\":\"bill cancelled\"}")
                .statusCode(404).body("code", equalTo("NOT_FOUND"));
        post(TestTokens.dispatcher(), "/fee-waivers/" + waiverId + "/reversal", "{\"reason\":\"bill cancelled\"}")
                .statusCode(403);

        post(TestTokens.hospital("H002"), "/fee-waivers/" + waiverId + "/reversal", "{\"reason\":\"bill cancelled\"}")
                .statusCode(200).body("status", equalTo("REVERSED")).body("reversedBy", equalTo("hospital-h002"))
                .body("reversalReason", equalTo("bill cancelled"));
        entitlement(TestTokens.waiverAdmin(), donor).body("self.usedMl", equalTo(0.0f)).body("self.remainingMl", equalTo(1000.0f));
        post(TestTokens.waiverAdmin(), "/fee-waivers/" + waiverId + "/reversal", "{\"reason\":\"again\"}")
                .statusCode(409).body("code", equalTo("WAIVER_ALREADY_REVERSED"));

        List<ConsumerRecord<String, String>> events = KafkaProbe.read(Topics.WAIVERS, r -> waiverId.equals(r.key()), 2,
                Duration.ofSeconds(20));
        assertEquals(List.of(Events.WAIVER_CLAIMED.ceType(), Events.WAIVER_REVERSED.ceType()),
                events.stream().map(r -> KafkaProbe.header(r, CloudEventHeaders.TYPE)).toList());
        WaiverReversed reversed = mapper.readValue(events.get(1).value(), WaiverReversed.class);
        assertEquals(new BigDecimal("1100.00"), reversed.restoredYuan());
        assertEquals("hospital-h002", reversed.actor());

        // the restored entitlement can be claimed again
        claim(TestTokens.his("H002"), billJson("H002", newBill(), donor, name, rbc(1, "220"), null)).statusCode(201);
    }

    @Test
    void aHospitalActsOnlyForItself() {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 400, 50).statusCode(201);
        claim(TestTokens.hospital("H002"), billJson("H001", newBill(), donor, name, rbc(1, "220"), null)).statusCode(403)
                .body("code", equalTo("LOCATION_NOT_YOURS"));
        quote(TestTokens.his("H002"), billJson("H001", newBill(), donor, name, rbc(1, "220"), null)).statusCode(403);
        claim(TestTokens.waiverAdmin(), billJson("H001", newBill(), donor, name, rbc(1, "220"), null)).statusCode(403);
        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/fee-waivers?hospitalId=H001").then().statusCode(403);
    }

    @Test
    void theListPagesWithACursorAndShowsAHospitalOnlyItsOwn() {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 400, 50).statusCode(201);
        for (int i = 0; i < 3; i++) {
            claim(TestTokens.his("H007"), billJson("H007", newBill(), donor, name, rbc(1, "220"), null)).statusCode(201);
        }
        claim(TestTokens.his("H008"), billJson("H008", newBill(), donor, name, rbc(1, "220"), null)).statusCode(201);
        String cursor = given().auth().oauth2(TestTokens.his("H007")).get("/api/v1/fee-waivers?limit=2").then()
                .statusCode(200).body("items", hasSize(2)).body("items.hospitalId", contains("H007", "H007"))
                .body("nextCursor", notNullValue()).extract().path("nextCursor");
        given().auth().oauth2(TestTokens.his("H007")).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/api/v1/fee-waivers").then().statusCode(200).body("items", hasSize(1)).body("nextCursor", nullValue());
        String month = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/fee-waivers?hospitalId=H008&month=" + month).then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].basis[0].relation", equalTo("SELF"));
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/fee-waivers?month=2026-13").then().statusCode(422);
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/fee-waivers?limit=501").then().statusCode(422);
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/fee-waivers?cursor=bm9wZQ").then().statusCode(400)
                .body("code", equalTo("CURSOR_INVALID"));
    }
}
