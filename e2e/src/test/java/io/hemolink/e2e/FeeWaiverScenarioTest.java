package io.hemolink.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.hemolink.e2e.Api.as;
import static io.hemolink.e2e.Api.release;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 4 of the end-to-end issue: a donor's spouse is transfused at H002; H002's HIS account quotes and claims
 * the waiver at the billing window; H002's monthly statement shows it; H001's HIS account sees none of it; ID numbers
 * only ever come back masked.
 */
@ExtendWith(Platform.class)
class FeeWaiverScenarioTest {

    static final String DONOR = "11010519491231002X";
    static final String SPOUSE = "440524198001010013";

    @Test
    void aDonorsSpouseTransfusedAtH002HasTheFeeWaivedAtTheBillingWindow() {
        String admin = Platform.token("waiver-admin");
        String dispatcher = Platform.token("dispatcher");
        String hospitalB = Platform.token("hospital-b");
        String hisH002 = Api.serviceAccount("his-h002", "his-h002-secret");
        String hisH001 = Api.serviceAccount("his-h001", "his-h001-secret");

        as(admin).body("""
                        {"donationId":"E2E-DON-0001","donorIdNumber":"%s","donorName":"张三","donatedAt":"%s",
                         "kind":"WHOLE_BLOOD","volumeMl":400,"rhdNegative":false}"""
                        .formatted(DONOR, Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)))
                .post("/donations").then().statusCode(201);
        as(admin).body("""
                        {"donorIdNumber":"%s","relativeIdNumber":"%s","relation":"SPOUSE","evidenceRef":"结婚证 E2E-2020-001"}"""
                        .formatted(DONOR, SPOUSE))
                .post("/donors/relations").then().statusCode(201);

        // the patient is transfused at H002 (the hospital's own reference, never the ID number)
        String din = release(dispatcher, "RBC_LR", "A", "POS", 2, 400, 5, "H002");
        as(hospitalB).body("{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-H002-E2E\",\"occurredAt\":\"%s\"}"
                .formatted(Instant.now().truncatedTo(ChronoUnit.SECONDS))).post("/units/" + din + "/RBC_LR/events")
                .then().statusCode(201);

        String bill = """
                {"hospitalId":"H002","billNo":"B-E2E-0001","patientIdNumber":"%s","patientName":"李四",
                 "items":[{"component":"RBC_LR","quantity":2,"amountYuan":440.00}],"insuranceCoveredYuan":0}"""
                .formatted(SPOUSE);
        var quote = as(hisH002).body(bill).post("/fee-waivers/quote").then().statusCode(200).extract();
        assertEquals(true, quote.path("eligible"));
        assertEquals("SPOUSE", quote.path("basis[0].relation"));
        BigDecimal waivable = new BigDecimal(quote.path("waivableYuan").toString());
        assertTrue(waivable.signum() > 0, "something is waivable: " + quote.asString());

        var claim = as(hisH002).header("Idempotency-Key", "B-E2E-0001").body(bill).post("/fee-waivers")
                .then().statusCode(201).extract();
        String waiverId = claim.path("waiverId");
        assertEquals(0, waivable.compareTo(new BigDecimal(claim.path("waivedYuan").toString())), "the claim waives the quote");
        assertFalse(claim.asString().contains(SPOUSE) || claim.asString().contains(DONOR), "ID numbers come back masked");
        as(hisH002).body(bill).post("/fee-waivers").then().statusCode(200).body("waiverId", equalTo(waiverId));

        String month = YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();
        var statement = as(hisH002).get("/settlements/H002/" + month).then().statusCode(200).extract();
        List<String> waivers = statement.path("items.waiverId");
        assertTrue(waivers.contains(waiverId), "H002's statement shows the waiver");

        as(hisH001).get("/fee-waivers/" + waiverId).then().statusCode(404);
        as(hisH001).body(bill).post("/fee-waivers").then().statusCode(403);
    }
}
