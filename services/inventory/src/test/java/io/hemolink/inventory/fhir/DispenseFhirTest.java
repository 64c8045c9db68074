package io.hemolink.inventory.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.UnitIssued;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.hl7.fhir.r5.model.BiologicallyDerivedProductDispense;
import org.hl7.fhir.r5.model.BiologicallyDerivedProductDispense.BiologicallyDerivedProductDispenseCodes;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hemolink.inventory.fhir.ProductFhirTest.get;
import static io.hemolink.inventory.fhir.ProductFhirTest.parse;
import static io.hemolink.inventory.fhir.ProductFhirTest.release;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inventory's BiologicallyDerivedProductDispense: a TRANSFUSED fate a hospital records and an issue to a patient
 * at a storage point (its UnitIssued event) are both dispenses, read and searched by product and patient with the
 * tenancy of {@code GET /units}; the patient reference only for the transfusing location. Every answer (errors too)
 * is validated against the R5 core definitions.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class DispenseFhirTest {

    private static final String BASE = "/fhir/r5/BiologicallyDerivedProductDispense";
    private static final AtomicInteger SEQ = new AtomicInteger(ThreadLocalRandom.current().nextInt(900_000));

    @Inject
    ObjectMapper mapper;

    static String newDin() {
        String data = "G4323" + "26" + String.format("%06d", SEQ.incrementAndGet());
        return data + Din.checkCharacter(data);
    }

    /** A red-cell unit of 1 U held by {@code location}. */
    static String heldBy(String location) {
        String din = newDin();
        release("{\"din\":\"" + din + "\",\"component\":\"RBC_LR\",\"abo\":\"A\",\"rhd\":\"POS\",\"volumeMl\":200,"
                + "\"quantity\":1,\"collectedAt\":\"" + Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
                + "\",\"locationId\":\"" + location + "\"}");
        return din;
    }

    static void transfused(String location, String din, String patientRef, Instant at) {
        given().auth().oauth2(TestTokens.hospital(location)).contentType("application/json")
                .body("{\"type\":\"TRANSFUSED\",\"patientRef\":\"" + patientRef + "\",\"occurredAt\":\"" + at + "\"}")
                .post("/api/v1/units/" + din + "/RBC_LR/events").then().statusCode(201);
    }

    static Bundle bundle(String token, String path) {
        Response r = get(token, path);
        assertEquals(200, r.statusCode(), path + ": " + r.asString());
        return parse(r, Bundle.class);
    }

    static List<String> ids(Bundle b) {
        return b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    static String code(Response r) {
        return parse(r, OperationOutcome.class).getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
    }

    @Test
    void aTransfusionTheHospitalRecordsIsADispenseWithItsPatient() {
        String din = heldBy("H001");
        String id = din + "-RBC.LR";
        // not transfused yet: no dispense
        assertEquals(404, get(TestTokens.hospital("H001"), BASE + "/" + id).statusCode());
        assertEquals(List.of(), ids(bundle(TestTokens.hospital("H001"), BASE + "?product=BiologicallyDerivedProduct/" + id)));
        Instant at = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        transfused("H001", din, "MRN-0042", at);

        Response r = get(TestTokens.his("H001"), BASE + "/" + id);
        assertEquals(200, r.statusCode(), r.asString());
        BiologicallyDerivedProductDispense d = parse(r, BiologicallyDerivedProductDispense.class);
        assertEquals(id, d.getIdPart());
        assertEquals(BiologicallyDerivedProductDispenseCodes.ISSUED, d.getStatus());
        assertEquals("BiologicallyDerivedProduct/" + id, d.getProduct().getReference());
        assertEquals(FhirSystems.PATIENT_REF + "H001", d.getPatient().getIdentifier().getSystem());
        assertEquals("MRN-0042", d.getPatient().getIdentifier().getValue());
        assertNull(d.getPatient().getReference());
        assertEquals("Location/H001", d.getLocation().getReference());
        assertEquals(at, d.getWhenHandedOver().toInstant());
        assertEquals(1, d.getQuantity().getValue().intValue());
        // the product it names is served, and is now unavailable
        Response product = get(TestTokens.his("H001"), "/fhir/r5/" + d.getProduct().getReference());
        assertEquals("unavailable", parse(product, org.hl7.fhir.r5.model.BiologicallyDerivedProduct.class)
                .getProductStatus().getCode());

        // the station sees the dispense but not the patient reference; another hospital not at all
        BiologicallyDerivedProductDispense station = parse(get(TestTokens.dispatcher(), BASE + "/" + id),
                BiologicallyDerivedProductDispense.class);
        assertFalse(station.getPatient().hasIdentifier());
        assertEquals(DispenseMapping.WITHHELD, station.getPatient().getDisplay());
        assertFalse(get(TestTokens.dispatcher(), BASE + "?product=" + id).asString().contains("MRN-0042"));
        Response other = get(TestTokens.hospital("H002"), BASE + "/" + id);
        assertEquals(404, other.statusCode());
        assertEquals(OperationOutcome.IssueType.NOTFOUND, parse(other, OperationOutcome.class).getIssueFirstRep().getCode());
        assertEquals(List.of(), ids(bundle(TestTokens.hospital("H002"), BASE + "?product=" + id)));

        // by product and by the hospital's own patient reference (its system, or none)
        assertEquals(List.of(id), ids(bundle(TestTokens.his("H001"), BASE + "?product=BiologicallyDerivedProduct/" + id)));
        assertEquals(List.of(id), ids(bundle(TestTokens.his("H001"),
                BASE + "?patient:identifier=" + FhirSystems.PATIENT_REF + "H001|MRN-0042&product=" + id)));
        assertTrue(ids(bundle(TestTokens.his("H001"), BASE + "?patient.identifier=MRN-0042&_count=500")).contains(id));
        assertEquals(List.of(), ids(bundle(TestTokens.his("H001"),
                BASE + "?patient:identifier=" + FhirSystems.PATIENT_REF + "H002|MRN-0042")));
        assertEquals(List.of(), ids(bundle(TestTokens.his("H001"), BASE + "?patient:identifier=MRN-9999&product=" + id)));
    }

    @Test
    void anIssueAtAStoragePointIsADispenseOfThatPoint() throws Exception {
        String din = heldBy("SP01");
        String id = din + "-RBC.LR";
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        KafkaProbe.send(Events.UNIT_ISSUED.topic(), "SP01", mapper.writeValueAsString(new UnitIssued(
                        UUID.randomUUID().toString(), "SP01", din, "RBC_LR", "BED-12/W3", "sp-operator", at)),
                CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE, Events.UNIT_ISSUED.ceType());
        String operator = TestTokens.storagePointOperator("SP01");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Response r = get(operator, BASE + "/" + id);
        while (r.statusCode() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = get(operator, BASE + "/" + id);
        }
        assertEquals(200, r.statusCode(), r.asString());
        BiologicallyDerivedProductDispense d = parse(r, BiologicallyDerivedProductDispense.class);
        assertEquals("Location/SP01", d.getLocation().getReference());
        assertEquals(FhirSystems.PATIENT_REF + "SP01", d.getPatient().getIdentifier().getSystem());
        assertEquals("BED-12/W3", d.getPatient().getIdentifier().getValue());
        assertEquals(at, d.getWhenHandedOver().toInstant());
        assertEquals(List.of(id), ids(bundle(operator, BASE + "?patient:identifier=BED-12/W3")));
        // as HAPI's generic client sends it: the modifier's colon percent-encoded
        Response encoded = given().urlEncodingEnabled(false).auth().oauth2(operator).accept(io.hemolink.fhir.Fhir.MEDIA_TYPE)
                .get(BASE + "?patient%3Aidentifier=" + FhirSystems.PATIENT_REF.replace(":", "%3A").replace("/", "%2F")
                        + "SP01%7CBED-12%2FW3");
        assertEquals(200, encoded.statusCode(), encoded.asString());
        io.hemolink.fhir.testing.FhirValidation.assertValid(encoded.asString());
        assertEquals(List.of(id), ids(parse(encoded, Bundle.class)));
        // the host hospital's and another point's tokens see none of the point's issues
        assertEquals(404, get(TestTokens.hospital("H001"), BASE + "/" + id).statusCode());
        assertEquals(404, get(TestTokens.storagePointOperator("SP02"), BASE + "/" + id).statusCode());
    }

    @Test
    void searchesPageThroughEveryDispenseOnceAndBadOnesAreRefused() {
        String location = "H" + (700 + ThreadLocalRandom.current().nextInt(300));
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String din = heldBy(location);
            transfused(location, din, "MRN-" + i, Instant.now().minusSeconds(60));
            ours.add(din + "-RBC.LR");
        }
        List<String> seen = new ArrayList<>();
        String next = BASE + "?_count=2";
        int pages = 0;
        while (next != null) {
            Bundle page = bundle(TestTokens.hospital(location), next);
            assertTrue(page.getEntry().size() <= 2);
            seen.addAll(ids(page));
            pages++;
            Bundle.BundleLinkComponent link = page.getLink("next");
            next = link == null ? null : link.getUrl().replaceFirst("^http://[^/]+", "");
        }
        assertTrue(seen.containsAll(ours), seen.toString());
        assertEquals(seen.size(), seen.stream().distinct().count(), "no dispense twice");
        assertTrue(pages >= 2);

        String token = TestTokens.hospital(location);
        // a parameter it does not know, a Patient reference (none are served), two products, a bad cursor: 400
        for (String q : List.of("subject=x", "patient=Patient/1", "product=a,b", "_cursor=***", "patient:identifier=",
                "product=Location/x/y")) {
            Response bad = get(token, BASE + "?" + q);
            assertEquals(400, bad.statusCode(), q + ": " + bad.asString());
            assertEquals(OperationOutcome.IssueType.STRUCTURE, parse(bad, OperationOutcome.class).getIssueFirstRep().getCode());
        }
        assertEquals("SEARCH_PARAMETER_UNKNOWN", code(get(token, BASE + "?subject=x")));
        // the station sees no patient references, so it may not search by one
        Response station = get(TestTokens.dispatcher(), BASE + "?patient:identifier=MRN-0");
        assertEquals(403, station.statusCode());
        assertEquals("PATIENT_REF_NOT_VISIBLE", code(station));
        // an unknown product id names none; no token is 401
        assertEquals(List.of(), ids(bundle(token, BASE + "?product=nonsense")));
        assertEquals(404, get(token, BASE + "/nonsense").statusCode());
        assertEquals(401, get(null, BASE + "/" + ours.get(0)).statusCode());
    }
}
