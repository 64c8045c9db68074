package io.hemolink.feewaiver;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.hemolink.feewaiver.Api.billJson;
import static io.hemolink.feewaiver.Api.donate;
import static io.hemolink.feewaiver.Api.newBill;
import static io.hemolink.feewaiver.Api.rbc;
import static io.hemolink.feewaiver.Api.relate;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Claims racing for one donor's entitlement from two hospitals at once never take more than is left: the donor's row
 * lock in PostgreSQL serialises them, whichever thread (or instance) they come from.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class ParallelClaimsTest {

    @Inject
    EntityManager em;

    record Claim(String hospital, String patientId, String patientName) {
    }

    @Test
    void twentyFourClaimsOf2UFromTwoHospitalsShare1000mlExactly_440Plus440Plus220() throws Exception {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 200, 30).statusCode(201);
        List<Claim> claims = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            claims.add(new Claim(i % 2 == 0 ? "H001" : "H002", donor, name));
        }
        List<ExtractableResponse<Response>> answers = race(claims);
        assertOutcome(answers, new BigDecimal("1100.00"), 3);
        assertEquals(0, new BigDecimal("1000").compareTo(drawnMl(donor, "SELF")), "exactly the 5 x 200 ml");
    }

    @Test
    void relativesAtDifferentHospitalsShareTheirPool_600mlIs440Plus220() throws Exception {
        String donor = People.idNumber();
        donate(donor, People.name(), 300, 30).statusCode(201);
        List<Claim> claims = new ArrayList<>();
        String[] relations = {"SPOUSE", "PARENT", "PARENT", "CHILD"};
        String[] hospitals = {"H001", "H002", "H003", "H004"};
        for (int r = 0; r < relations.length; r++) {
            String relative = People.idNumber();
            String relativeName = People.name();
            relate(TestTokens.waiverAdmin(), donor, relative, relations[r]).statusCode(201);
            for (int k = 0; k < 4; k++) {
                claims.add(new Claim(hospitals[(r + k) % hospitals.length], relative, relativeName));
            }
        }
        List<ExtractableResponse<Response>> answers = race(claims);
        assertOutcome(answers, new BigDecimal("660.00"), 2);
        assertEquals(0, new BigDecimal("600").compareTo(drawnMl(donor, "RELATIVES")), "exactly the 2 x 300 ml");
    }

    private List<ExtractableResponse<Response>> race(List<Claim> claims) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (Claim c : claims) {
                String token = TestTokens.his(c.hospital());
                String body = billJson(c.hospital(), newBill(), c.patientId(), c.patientName(), rbc(2, "440"), null);
                calls.add(() -> {
                    start.await();
                    return given().auth().oauth2(token).contentType("application/json").body(body)
                            .post("/api/v1/fee-waivers").then().extract();
                });
            }
            List<Future<ExtractableResponse<Response>>> futures = new ArrayList<>();
            for (Callable<ExtractableResponse<Response>> call : calls) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<ExtractableResponse<Response>> answers = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertOutcome(List<ExtractableResponse<Response>> answers, BigDecimal total, int granted) {
        BigDecimal waived = BigDecimal.ZERO;
        int created = 0;
        for (ExtractableResponse<Response> a : answers) {
            if (a.statusCode() == 201) {
                created++;
                waived = waived.add(new BigDecimal(a.jsonPath().getString("waivedYuan")));
            } else {
                assertEquals(422, a.statusCode(), a.asString());
                assertEquals("NOT_ELIGIBLE", a.jsonPath().getString("code"));
            }
        }
        assertEquals(0, total.compareTo(waived), "waived in all: " + waived);
        assertEquals(granted, created, "claims granted");
        assertTrue(answers.size() > granted);
    }

    private BigDecimal drawnMl(String donorId, String pool) {
        String ref = Api.entitlement(TestTokens.waiverAdmin(), donorId).extract().path("donorRef");
        return QuarkusTransaction.requiringNew().call(() -> (BigDecimal) em.createNativeQuery(
                        "select coalesce(sum(d.amount_ml), 0) from waiver_draw d join waiver w on w.id = d.waiver_id"
                                + " join donor o on o.id = d.donor_id where o.ref = ?1 and d.pool = ?2 and w.status = 'CLAIMED'")
                .setParameter(1, ref).setParameter(2, pool).getSingleResult());
    }
}
