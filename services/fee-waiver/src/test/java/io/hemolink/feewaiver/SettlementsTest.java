package io.hemolink.feewaiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.feewaiver.SettlementClosed;
import io.hemolink.feewaiver.domain.Settlements;
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

import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

import static io.hemolink.feewaiver.Api.billJson;
import static io.hemolink.feewaiver.Api.claim;
import static io.hemolink.feewaiver.Api.donate;
import static io.hemolink.feewaiver.Api.newBill;
import static io.hemolink.feewaiver.Api.post;
import static io.hemolink.feewaiver.Api.rbc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Monthly statements per hospital and closing a month once. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class SettlementsTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper mapper;

    @Inject
    Settlements settlements;

    private String claimOne(String hospital, String donor, String name, int units) {
        return claim(TestTokens.hospital(hospital), billJson(hospital, newBill(), donor, name, rbc(units, String.valueOf(units * 220)), null))
                .statusCode(201).extract().path("waiverId");
    }

    /** Moves a waiver's claim (and reversal) into last month, as if it had been made then. */
    private void intoLastMonth(String waiverId) {
        YearMonth last = YearMonth.now(ZONE).minusMonths(1);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update waiver set claim_month = ?1,"
                        + " claimed_at = claimed_at - interval '32 days',"
                        + " reversal_month = case when reversal_month is null then null else ?1 end where id = cast(?2 as uuid)")
                .setParameter(1, last.toString()).setParameter(2, waiverId).executeUpdate());
    }

    @Test
    void theStatementCountsClaimsLessReversalsOfTheMonth() {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 400, 20).statusCode(201);
        String first = claimOne("H005", donor, name, 2);
        claimOne("H005", donor, name, 3);
        post(TestTokens.waiverAdmin(), "/fee-waivers/" + first + "/reversal", "{\"reason\":\"duplicate bill\"}").statusCode(200);
        String month = YearMonth.now(ZONE).toString();
        given().auth().oauth2(TestTokens.hospital("H005")).get("/api/v1/settlements/H005/" + month).then().statusCode(200)
                .body("hospitalId", equalTo("H005")).body("month", equalTo(month)).body("count", equalTo(3))
                .body("claims", equalTo(2)).body("reversals", equalTo(1)).body("totalWaivedYuan", equalTo(660.00f))
                .body("closed", equalTo(false)).body("items.kind", contains("CLAIM", "CLAIM", "REVERSAL"));
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/settlements/H005/" + month).then().statusCode(404);
        post(TestTokens.waiverAdmin(), "/settlements/H005/" + month + "/close", "").statusCode(422)
                .body("code", equalTo("MONTH_NOT_ENDED"));
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/settlements/H005/2026-1").then().statusCode(422);
    }

    @Test
    void closingAnEndedMonthPublishesSettlementClosedOnce() throws Exception {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 400, 60).statusCode(201);
        intoLastMonth(claimOne("H006", donor, name, 2));
        intoLastMonth(claimOne("H006", donor, name, 1));
        String last = YearMonth.now(ZONE).minusMonths(1).toString();
        post(TestTokens.hospital("H006"), "/settlements/H006/" + last + "/close", "").statusCode(403);
        post(TestTokens.waiverAdmin(), "/settlements/H006/" + last + "/close", "").statusCode(200)
                .body("closed", equalTo(true)).body("closedBy", org.hamcrest.Matchers.anyOf(equalTo("waiver-admin"), equalTo("scheduler")))
                .body("count", equalTo(2))
                .body("totalWaivedYuan", equalTo(660.00f));
        post(TestTokens.waiverAdmin(), "/settlements/H006/" + last + "/close", "").statusCode(200).body("closed", equalTo(true));
        given().auth().oauth2(TestTokens.his("H006")).get("/api/v1/settlements/H006/" + last).then().statusCode(200)
                .body("closed", equalTo(true)).body("totalWaivedYuan", equalTo(660.00f));

        String key = "H006|" + last;
        List<ConsumerRecord<String, String>> events = KafkaProbe.read(Topics.WAIVERS, r -> key.equals(r.key()), 2,
                Duration.ofSeconds(8));
        assertEquals(1, events.size(), "SettlementClosed once");
        assertEquals(Events.SETTLEMENT_CLOSED.ceType(), KafkaProbe.header(events.get(0), CloudEventHeaders.TYPE));
        SettlementClosed closed = mapper.readValue(events.get(0).value(), SettlementClosed.class);
        assertEquals(new BigDecimal("660.00"), closed.totalWaivedYuan());
        assertEquals(2, closed.count());
    }

    @Test
    void theScheduledCloseClosesEndedMonthsWithWaiversOnce() throws Exception {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 400, 60).statusCode(201);
        intoLastMonth(claimOne("H009", donor, name, 4));
        settlements.closeEndedMonths();
        settlements.closeEndedMonths();
        String last = YearMonth.now(ZONE).minusMonths(1).toString();
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/settlements/H009/" + last).then().statusCode(200)
                .body("closed", equalTo(true)).body("closedBy", equalTo("scheduler")).body("totalWaivedYuan", equalTo(880.00f));
        String key = "H009|" + last;
        assertEquals(1, KafkaProbe.read(Topics.WAIVERS, r -> key.equals(r.key()), 2, Duration.ofSeconds(8)).size());
    }
}
