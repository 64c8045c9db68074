package io.hemolink.feewaiver;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.hemolink.feewaiver.Api.billJson;
import static io.hemolink.feewaiver.Api.donationJson;
import static io.hemolink.feewaiver.Api.rbc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input is a 400 or 422 problem+json with a code, never a 500, and changes nothing. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class BadInputTest {

    /** GB 11643's own example number and a made-up name (fixed: the argument source may run in another class loader). */
    static final String DONOR = "11010519491231002X";
    static final String NAME = "测试甲乙";

    @Inject
    EntityManager em;

    /** A rejected request: who sends it where, and the status and code expected. */
    record Bad(String name, String token, String path, String body, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> requests() {
        String admin = TestTokens.waiverAdmin();
        String his = TestTokens.his("H001");
        String goodDonation = donationJson("DN-BAD-1", DONOR, NAME, Api.daysAgo(2), 400);
        String goodBill = billJson("H001", "B-BAD-1", DONOR, NAME, rbc(2, "440"), null);
        return Stream.of(
                new Bad("donation: malformed JSON", admin, "/donations", "{\"donationId\":", 400, "MALFORMED_JSON"),
                new Bad("donation: unknown kind", admin, "/donations", goodDonation.replace("WHOLE_BLOOD", "PLASMA"), 422, "INVALID_VALUE"),
                new Bad("donation: ID number with a wrong check character", admin, "/donations",
                        goodDonation.replace(DONOR, People.withWrongCheck(DONOR)), 422, "ID_NUMBER_INVALID"),
                new Bad("donation: ID number of 17 characters", admin, "/donations",
                        goodDonation.replace(DONOR, DONOR.substring(0, 17)), 422, "ID_NUMBER_INVALID"),
                new Bad("donation: negative volume", admin, "/donations", goodDonation.replace(":400", ":-400"), 422, "VALIDATION_FAILED"),
                new Bad("donation: 2000 ml", admin, "/donations", goodDonation.replace(":400", ":2000"), 422, "DONATION_INVALID"),
                new Bad("donation: missing rhdNegative", admin, "/donations", goodDonation.replace(",\"rhdNegative\":false", ""), 422, "VALIDATION_FAILED"),
                new Bad("donation: missing donatedAt", admin, "/donations",
                        goodDonation.replaceAll("\"donatedAt\":\"[^\"]+\",", ""), 422, "VALIDATION_FAILED"),
                new Bad("donation: not a timestamp", admin, "/donations",
                        goodDonation.replaceAll("\"donatedAt\":\"[^\"]+\"", "\"donatedAt\":\"yesterday\""), 422, "INVALID_VALUE"),
                new Bad("donation: in the future", admin, "/donations",
                        goodDonation.replaceAll("\"donatedAt\":\"[^\"]+\"", "\"donatedAt\":\"2099-01-01T00:00:00Z\""), 422, "DONATION_INVALID"),
                new Bad("donation: array instead of object", admin, "/donations", "[]", 400, "MALFORMED_JSON"),
                new Bad("donation: unknown abo", admin, "/donations", goodDonation.replace("}", ",\"abo\":\"C\"}"), 422, "INVALID_VALUE"),
                new Bad("donation: unknown rhd", admin, "/donations", goodDonation.replace("}", ",\"abo\":\"A\",\"rhd\":\"+\"}"), 422, "INVALID_VALUE"),
                new Bad("donation: rhd NEG contradicts rhdNegative false", admin, "/donations",
                        goodDonation.replace("}", ",\"abo\":\"A\",\"rhd\":\"NEG\"}"), 422, "DONATION_INVALID"),
                new Bad("relation: unknown relation", admin, "/donors/relations", "{\"donorIdNumber\":\"" + DONOR
                        + "\",\"relativeIdNumber\":\"440524198001010013\",\"relation\":\"COUSIN\",\"evidenceRef\":\"x\"}",
                        422, "INVALID_VALUE"),
                new Bad("relation: bad relative ID number", admin, "/donors/relations", "{\"donorIdNumber\":\"" + DONOR
                        + "\",\"relativeIdNumber\":\"123456789012345678\",\"relation\":\"SPOUSE\",\"evidenceRef\":\"x\"}",
                        422, "ID_NUMBER_INVALID"),
                new Bad("claim: negative amount", his, "/fee-waivers", goodBill.replace("\"amountYuan\":440", "\"amountYuan\":-440"), 422, "VALIDATION_FAILED"),
                new Bad("claim: negative insurance", his, "/fee-waivers",
                        billJson("H001", "B-BAD-2", DONOR, NAME, rbc(2, "440"), "-1"), 422, "VALIDATION_FAILED"),
                new Bad("claim: zero quantity", his, "/fee-waivers", goodBill.replace("\"quantity\":2", "\"quantity\":0"), 422, "VALIDATION_FAILED"),
                new Bad("claim: unknown component", his, "/fee-waivers", goodBill.replace("\"RBC\"", "\"BLOOD\""), 422, "INVALID_VALUE"),
                new Bad("claim: no items", his, "/fee-waivers", billJson("H001", "B-BAD-3", DONOR, NAME, "", null), 422, "VALIDATION_FAILED"),
                new Bad("claim: missing patient name", his, "/fee-waivers", goodBill.replace(",\"patientName\":\"" + NAME + "\"", ""),
                        422, "VALIDATION_FAILED"),
                new Bad("claim: bad patient ID number", his, "/fee-waivers", goodBill.replace(DONOR, People.withWrongCheck(DONOR)),
                        422, "ID_NUMBER_INVALID"),
                new Bad("claim: malformed JSON", his, "/fee-waivers", "{\"hospitalId\":\"H001\",", 400, "MALFORMED_JSON"),
                new Bad("claim: amount as text", his, "/fee-waivers", goodBill.replace("\"amountYuan\":440", "\"amountYuan\":\"lots\""), 422, "INVALID_VALUE"),
                new Bad("quote: malformed JSON", his, "/fee-waivers/quote", "not json", 400, "MALFORMED_JSON"),
                new Bad("quote: bad patient ID number", his, "/fee-waivers/quote", goodBill.replace(DONOR, "ABC"), 422,
                        "ID_NUMBER_INVALID"),
                new Bad("reversal: missing reason", admin, "/fee-waivers/00000000-0000-0000-0000-000000000000/reversal", "{}",
                        422, "VALIDATION_FAILED"),
                new Bad("entitlement query: missing idNumber", his, "/donors/entitlement-query", "{}", 422, "VALIDATION_FAILED"));
    }

    @BeforeEach
    void aDonorExists() {
        if (count("donor") == 0 || Api.entitlement(TestTokens.waiverAdmin(), DONOR).extract().statusCode() == 404) {
            Api.donate(DONOR, NAME, 400, 3).statusCode(201);
        }
    }

    @ParameterizedTest(name = "{0} -> {4} {5}")
    @MethodSource("requests")
    void isRefusedAndChangesNothing(Bad bad) {
        Map<String, Long> before = counts();
        String answer = given().auth().oauth2(bad.token()).contentType("application/json").body(bad.body())
                .post("/api/v1" + bad.path()).then()
                .statusCode(bad.status()).contentType("application/problem+json")
                .body("code", equalTo(bad.code())).body("status", equalTo(bad.status()))
                .body("detail", not(containsString("Exception"))).body("detail", not(containsString("io.hemolink")))
                .extract().asString();
        assertEquals(before, counts(), "nothing changed");
        for (String id : List.of(DONOR, People.withWrongCheck(DONOR), DONOR.substring(0, 17))) {
            assertTrue(!answer.contains(id), "no ID number in the problem: " + answer);
        }
        assertTrue(!answer.contains(NAME), "no name in the problem");
        assertTrue(bad.status() == 400 || bad.status() == 422, "400 or 422");
    }

    private Map<String, Long> counts() {
        return Map.of("donor", count("donor"), "donation", count("donation"), "donor_relation", count("donor_relation"),
                "waiver", count("waiver"), "waiver_draw", count("waiver_draw"), "outbox_event", count("outbox_event"),
                "idempotency_record", count("idempotency_record"));
    }

    private long count(String table) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("select count(*) from " + table)
                .getSingleResult()).longValue());
    }
}
