package io.hemolink.storagepoint;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.storage.QuarantineDecided;
import io.hemolink.contracts.events.storage.UnitIssued;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue to a patient with its checks, and station QA's quarantine decisions. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class IssuesAndQuarantineTest {

    private static final Instant LATER = Instant.now().plus(Duration.ofDays(10));

    static ValidatableResponse issue(String point, String token, String din, String component, String patientRef,
                                     String abo, String rhd) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"din\":\"" + din + "\",\"component\":\"" + component + "\",\"patientRef\":\"" + patientRef
                        + "\",\"patientAbo\":\"" + abo + "\",\"patientRhd\":\"" + rhd + "\"}")
                .post("/api/v1/storage-points/" + point + "/issues").then();
    }

    static ValidatableResponse decide(String point, String token, String din, String component, String decision) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"units\":[{\"din\":\"" + din + "\",\"component\":\"" + component + "\"}],\"decision\":\""
                        + decision + "\"}")
                .post("/api/v1/storage-points/" + point + "/quarantine-decisions").then();
    }

    /** Out of range for 40 minutes in the fridge: an excursion. */
    static void excursion(String point) {
        Instant start = Instant.now().minus(Duration.ofMinutes(45)).truncatedTo(ChronoUnit.SECONDS);
        Sp.readings(point, TestTokens.storagePointOperator(point), Sp.batch(List.of(
                Sp.reading(point + "-F1", start, 7.0),
                Sp.reading(point + "-F1", start.plus(Duration.ofMinutes(20)), 7.2),
                Sp.reading(point + "-F1", start.plus(Duration.ofMinutes(40)), 7.1)))).statusCode(202)
                .body("excursions", hasSize(1));
    }

    @Test
    void issueChecksExpiryQuarantineAndCompatibilityThenRecordsAndPublishes() {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        String expired = Sp.receive(p, Component.RBC_LR, Abo.O, RhD.NEG, 2, Instant.now().minusSeconds(60));
        String aPos = Sp.receive(p, Component.RBC_LR, Abo.A, RhD.POS, 2, LATER);
        String oNeg = Sp.receive(p, Component.RBC_LR, Abo.O, RhD.NEG, 2, LATER);
        Sp.await(p, j -> Sp.bags(j) == 3);

        issue(p, op, expired, "RBC_LR", "MRN-1001", "O", "NEG").statusCode(422).body("code", equalTo("EXPIRED"))
                .contentType("application/problem+json");
        issue(p, op, aPos, "RBC_LR", "MRN-1001", "O", "POS").statusCode(422).body("code", equalTo("INCOMPATIBLE"));
        issue(p, op, aPos, "RBC_LR", "MRN-1001", "A", "NEG").statusCode(422).body("code", equalTo("INCOMPATIBLE"));
        // a resident ID number (valid GB 11643 check character) is refused as a patient reference
        issue(p, op, aPos, "RBC_LR", "11010519491231002X", "A", "POS").statusCode(422)
                .body("code", equalTo("PATIENT_REF_IS_ID_NUMBER"));
        issue(p, op, Sp.newDin(), "RBC_LR", "MRN-1001", "A", "POS").statusCode(404);
        issue(p, op, aPos, "PLT_AP", "MRN-1001", "A", "POS").statusCode(404);

        issue(p, op, oNeg, "RBC_LR", "MRN-1002", "AB", "POS").statusCode(201).body("din", equalTo(oNeg))
                .body("abo", equalTo("O")).body("patientAbo", equalTo("AB"));
        issue(p, op, oNeg, "RBC_LR", "MRN-1002", "AB", "POS").statusCode(404);
        UnitIssued published = Sp.events(Events.UNIT_ISSUED, oNeg, 1, Duration.ofSeconds(15)).get(0);
        assertEquals(p, published.storagePointId());
        assertEquals("MRN-1002", published.patientRef());
        assertEquals(2, Sp.bags(Sp.point(p)), "the issued unit left the point");

        // the inventory's confirmation of the transfusion changes nothing more; the unit does not come back
        Sp.send(Events.UNIT_MOVED, oNeg, Sp.moved(oNeg, Component.RBC_LR, Abo.O, RhD.NEG, 2, MovementType.RELEASED,
                p, p, UnitStatus.AVAILABLE, LATER, p + "-F1"));
        Sp.send(Events.UNIT_MOVED, oNeg, Sp.moved(oNeg, Component.RBC_LR, Abo.O, RhD.NEG, 2, MovementType.TRANSFUSED,
                p, p, UnitStatus.TRANSFUSED, LATER, p + "-F1"));
        Sp.sleep(1500);
        assertEquals(2, Sp.bags(Sp.point(p)));

        excursion(p);
        issue(p, op, aPos, "RBC_LR", "MRN-1003", "A", "POS").statusCode(422).body("code", equalTo("QUARANTINED"));
    }

    @Test
    void anIssueChecksThePatientsRequirementsAndTheLowTitreRule() {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        String ordinary = Sp.newDin();
        Sp.send(Events.UNIT_MOVED, ordinary, Sp.moved(ordinary, Component.RBC_LR, Abo.O, RhD.NEG, 2,
                MovementType.RECEIVED_AT_HOSPITAL, "STATION", p, UnitStatus.AVAILABLE, LATER, null));
        String irradiatedKNeg = Sp.newDin();
        Sp.send(Events.UNIT_MOVED, irradiatedKNeg, Sp.moved(irradiatedKNeg, Component.RBC_LR, Abo.O, RhD.NEG, 2,
                MovementType.RECEIVED_AT_HOSPITAL, "STATION", p, UnitStatus.AVAILABLE, LATER, null,
                new io.hemolink.contracts.blood.UnitAttributes(true, false, false, List.of("K"), null)));
        String plateletsO = Sp.newDin();
        Sp.send(Events.UNIT_MOVED, plateletsO, Sp.moved(plateletsO, Component.PLT_AP, Abo.O, RhD.POS, 1,
                MovementType.RECEIVED_AT_HOSPITAL, "STATION", p, UnitStatus.AVAILABLE, LATER, null));
        Sp.await(p, j -> Sp.bags(j) == 3);

        String needs = ",\"irradiated\":true,\"antigenNegative\":[\"K\"]";
        issueWith(p, op, ordinary, "RBC_LR", "A", "POS", needs).statusCode(422)
                .body("code", equalTo("REQUIREMENT_NOT_MET")).contentType("application/problem+json");
        issueWith(p, op, irradiatedKNeg, "RBC_LR", "A", "POS", needs.replace("\"K\"", "\"K\",\"Fya\"")).statusCode(422)
                .body("code", equalTo("REQUIREMENT_NOT_MET"));
        // group O platelets go to an A patient only when low-titre: this bag is not
        issueWith(p, op, plateletsO, "PLT_AP", "A", "POS", "").statusCode(422).body("code", equalTo("INCOMPATIBLE"));
        // antigen names are the station's list (case-sensitive): an unknown one is the inventory's ANTIGEN_UNKNOWN,
        // even for a bag that meets every known requirement, and nothing is issued
        for (String unknown : List.of("\"Kell\"", "\"fya\"", "\"K\",\"Xg\"")) {
            issueWith(p, op, irradiatedKNeg, "RBC_LR", "A", "POS", ",\"irradiated\":true,\"antigenNegative\":["
                    + unknown + "]").statusCode(422).contentType("application/problem+json")
                    .body("code", equalTo("ANTIGEN_UNKNOWN"))
                    .body("errors.field", org.hamcrest.Matchers.hasItem("antigenNegative"));
        }
        // what the component cannot have, in the order line's words
        issueWith(p, op, plateletsO, "FFP", "A", "POS", ",\"irradiated\":true").statusCode(422)
                .body("code", equalTo("REQUIREMENT_NOT_APPLICABLE"));
        issueWith(p, op, plateletsO, "PLT_AP", "O", "POS", ",\"antigenNegative\":[\"K\"]").statusCode(422)
                .body("code", equalTo("REQUIREMENT_NOT_APPLICABLE"));
        assertEquals(3, Sp.bags(Sp.point(p)), "nothing was issued");
        issueWith(p, op, irradiatedKNeg, "RBC_LR", "A", "POS", needs).statusCode(201).body("din", equalTo(irradiatedKNeg));
    }

    static ValidatableResponse issueWith(String point, String token, String din, String component, String abo,
                                         String rhd, String requirements) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"din\":\"" + din + "\",\"component\":\"" + component + "\",\"patientRef\":\"MRN-7001\""
                        + ",\"patientAbo\":\"" + abo + "\",\"patientRhd\":\"" + rhd + "\"" + requirements + "}")
                .post("/api/v1/storage-points/" + point + "/issues").then();
    }

    @Test
    void stationQaReleasesAndDiscardsAndAnOperatorMayNot() {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        String kept = Sp.receive(p, Component.RBC, Abo.B, RhD.POS, 1, LATER);
        String thrown = Sp.receive(p, Component.RBC, Abo.B, RhD.POS, 1, LATER);
        String free = Sp.receive(p, Component.PLT_AP, Abo.B, RhD.POS, 1, LATER);
        Sp.await(p, j -> Sp.bags(j) == 3);
        excursion(p);

        decide(p, op, kept, "RBC", "RELEASE").statusCode(403).contentType("application/problem+json");
        decide(p, TestTokens.hospital("H001"), kept, "RBC", "RELEASE").statusCode(403);
        decide(p, TestTokens.dispatcher(), free, "PLT_AP", "RELEASE").statusCode(422).body("code", equalTo("NOT_QUARANTINED"));
        decide(p, TestTokens.token("qa", "STATION", "station-qa"), kept, "RBC", "RELEASE").statusCode(201)
                .body("decision", equalTo("RELEASE")).body("units[0].din", equalTo(kept));
        decide(p, TestTokens.dispatcher(), thrown, "RBC", "DISCARD").statusCode(201);

        List<QuarantineDecided> decided = Sp.events(Events.QUARANTINE_DECIDED, p + "\"", 2, Duration.ofSeconds(15));
        assertEquals(2, decided.size());
        QuarantineDecided release = decided.stream().filter(d -> d.decision() == QuarantineDecided.Decision.RELEASE)
                .findFirst().orElseThrow();
        assertEquals(kept, release.units().get(0).din());
        assertEquals("qa", release.actor());

        // the released unit can be issued again; the discarded one is gone
        issue(p, op, kept, "RBC", "MRN-2001", "B", "POS").statusCode(201);
        issue(p, op, thrown, "RBC", "MRN-2001", "B", "POS").statusCode(404);
    }

    @Test
    void anIssueWithAnIdempotencyKeyIsRecordedOnceAndReplayed() {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        String plt = Sp.receive(p, Component.PLT_AP, Abo.A, RhD.POS, 1, LATER);
        Sp.await(p, j -> Sp.bags(j) == 1);
        String body = "{\"din\":\"" + plt + "\",\"component\":\"PLT_AP\",\"patientRef\":\"MRN-3001\","
                + "\"patientAbo\":\"AB\",\"patientRhd\":\"POS\"}";
        String first = given().auth().oauth2(op).header("Idempotency-Key", "issue-" + plt).contentType(ContentType.JSON)
                .body(body).post("/api/v1/storage-points/" + p + "/issues").then().statusCode(201).extract().path("issueId");
        String again = given().auth().oauth2(op).header("Idempotency-Key", "issue-" + plt).contentType(ContentType.JSON)
                .body(body).post("/api/v1/storage-points/" + p + "/issues").then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().path("issueId");
        assertEquals(first, again);
        given().auth().oauth2(op).header("Idempotency-Key", "issue-" + plt).contentType(ContentType.JSON)
                .body(body.replace("MRN-3001", "MRN-3002")).post("/api/v1/storage-points/" + p + "/issues").then()
                .statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        Sp.sleep(1000);
        assertEquals(1, Sp.events(Events.UNIT_ISSUED, plt, 2, Duration.ofSeconds(3)).size(), "published once");
    }
}
