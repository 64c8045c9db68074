package io.hemolink.inventory.fhir;

import io.hemolink.contracts.isbt.Din;
import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.fhir.testing.FhirValidation;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.hl7.fhir.r5.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inventory's FHIR R5 facade: units as BiologicallyDerivedProduct, read and searched with the tenancy of
 * {@code GET /units}, every answer (errors too) valid against the R5 core definitions.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class ProductFhirTest {

    private static final String BASE = "/fhir/r5/BiologicallyDerivedProduct";

    static String din;
    static String collected;

    @BeforeEach
    void units() {
        if (din != null) {
            return;
        }
        String data = "G4321" + "26" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        din = data + Din.checkCharacter(data);
        collected = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        // the red cells are held by H001, the plasma of the same donation stays at the station
        release("{\"din\":\"" + din + "\",\"component\":\"RBC_LR\",\"abo\":\"O\",\"rhd\":\"NEG\",\"volumeMl\":400,"
                + "\"quantity\":2,\"collectedAt\":\"" + collected + "\",\"locationId\":\"H001\",\"irradiated\":true,"
                + "\"cmvNegative\":true,\"antigenNegative\":[\"K\",\"Fya\"],\"productCode\":\"E0336\"}");
        release("{\"din\":\"" + din + "\",\"component\":\"FFP\",\"abo\":\"O\",\"rhd\":\"NEG\",\"volumeMl\":200,"
                + "\"quantity\":200,\"collectedAt\":\"" + collected + "\",\"division\":\"A1\"}");
        // another donation's plasma, so that a search for plasma has two pages of one
        String other = "G4322" + "26" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        release("{\"din\":\"" + other + Din.checkCharacter(other) + "\",\"component\":\"FP\",\"abo\":\"A\","
                + "\"rhd\":\"POS\",\"volumeMl\":200,\"quantity\":200,\"collectedAt\":\"" + collected + "\"}");
    }

    static void release(String body) {
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body)
                .post("/api/v1/units").then().statusCode(201);
    }

    /** GET as the token's holder; the body is validated against R5 whatever the status. */
    static Response get(String token, String path) {
        var request = given().accept(Fhir.MEDIA_TYPE);
        if (token != null) {
            request.auth().oauth2(token);
        }
        Response r = request.get(path);
        assertTrue(r.contentType().startsWith(Fhir.MEDIA_TYPE), path + " answered " + r.contentType());
        FhirValidation.assertValid(r.asString());
        return r;
    }

    static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(Response r, Class<T> type) {
        try {
            return Fhir.context().newJsonParser().parseResource(type, r.asString());
        } catch (ca.uhn.fhir.parser.DataFormatException e) {
            throw new AssertionError("expected a " + type.getSimpleName() + ", got " + r.statusCode() + " " + r.asString(), e);
        }
    }

    @Test
    void aHolderReadsItsUnitWithEveryAttribute() {
        String id = din + "-RBC.LR";
        Response r = get(TestTokens.hospital("H001"), BASE + "/" + id);
        assertEquals(200, r.statusCode());
        BiologicallyDerivedProduct p = parse(r, BiologicallyDerivedProduct.class);
        assertEquals(id, p.getIdPart());
        assertEquals(FhirSystems.DIN, p.getIdentifierFirstRep().getSystem());
        assertEquals(din.substring(0, 13), p.getIdentifierFirstRep().getValue());
        assertEquals(din.substring(0, 13), p.getBiologicalSourceEvent().getValue());
        assertEquals("cells", p.getProductCategory().getCode());
        assertEquals("available", p.getProductStatus().getCode());
        assertTrue(p.getProductCode().getCoding().stream()
                .anyMatch(c -> FhirSystems.PRODUCT_CODE.equals(c.getSystem()) && "E0336".equals(c.getCode())));
        assertTrue(p.getProductCode().getCoding().stream()
                .anyMatch(c -> FhirSystems.COMPONENT.equals(c.getSystem()) && "RBC_LR".equals(c.getCode())));
        assertEquals(Instant.parse(collected), p.getCollection().getCollectedDateTimeType().getValue().toInstant());
        assertNotNull(p.getExpirationDate());
        assertEquals(6.0, p.getStorageTempRequirements().getHigh().getValue().doubleValue());
        assertEquals("O", code(p, "abo"));
        assertEquals("NEG", code(p, "rhd"));
        assertEquals("AVAILABLE", code(p, "status"));
        assertTrue(((BooleanType) value(p, "irradiated").get(0)).booleanValue());
        assertTrue(((BooleanType) value(p, "cmvNegative").get(0)).booleanValue());
        assertEquals(List.of("Fya", "K"), value(p, "antigenNegative").stream()
                .map(v -> ((CodeableConcept) v).getCodingFirstRep().getCode()).sorted().toList());
    }

    @Test
    void anotherLocationsUnitIsNotFoundAsOperationOutcome() {
        for (String path : List.of(BASE + "/" + din + "-RBC.LR", BASE + "/" + din + "-FFP-A1")) {
            Response r = get(TestTokens.hospital("H002"), path);
            assertEquals(404, r.statusCode());
            OperationOutcome oo = parse(r, OperationOutcome.class);
            assertEquals(OperationOutcome.IssueType.NOTFOUND, oo.getIssueFirstRep().getCode());
            assertEquals("NOT_FOUND", oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        }
        // the station's own plasma is not the hospital's either; the station reads both
        assertEquals(404, get(TestTokens.hospital("H001"), BASE + "/" + din + "-FFP-A1").statusCode());
        assertEquals(200, get(TestTokens.dispatcher(), BASE + "/" + din + "-FFP-A1").statusCode());
        // an id that is not one of ours, a division that does not exist
        assertEquals(404, get(TestTokens.dispatcher(), BASE + "/nonsense").statusCode());
        assertEquals(404, get(TestTokens.dispatcher(), BASE + "/" + din + "-FFP").statusCode());
    }

    @Test
    void tokensAreCheckedAsOnTheRestApi() {
        Response none = get(null, BASE + "/" + din + "-RBC.LR");
        assertEquals(401, none.statusCode());
        assertEquals(OperationOutcome.IssueType.LOGIN, parse(none, OperationOutcome.class).getIssueFirstRep().getCode());
        Response forged = get(TestTokens.forged("hospital-a", "H001", "hospital-transfusion"), BASE + "/" + din + "-RBC.LR");
        assertEquals(401, forged.statusCode());
        Response waiver = get(TestTokens.waiverAdmin(), BASE + "?identifier=" + din.substring(0, 13));
        assertEquals(403, waiver.statusCode());
    }

    @Test
    void searchByDinSeesWhatTheCallerHolds() {
        String q = BASE + "?identifier=" + FhirSystems.DIN + "|" + din.substring(0, 13);
        Bundle station = parse(get(TestTokens.dispatcher(), q), Bundle.class);
        assertEquals(Bundle.BundleType.SEARCHSET, station.getType());
        assertEquals(List.of(din + "-FFP-A1", din + "-RBC.LR"), ids(station));
        for (Bundle.BundleEntryComponent e : station.getEntry()) {
            assertTrue(e.getFullUrl().matches("http://[^/]+/fhir/r5/BiologicallyDerivedProduct/" + e.getResource().getIdPart()),
                    e.getFullUrl());
        }
        assertEquals(List.of(din + "-RBC.LR"), ids(parse(get(TestTokens.hospital("H001"), q), Bundle.class)));
        assertEquals(List.of(), ids(parse(get(TestTokens.his("H002"), q), Bundle.class)));
        assertEquals(List.of(), ids(parse(get(TestTokens.dispatcher(), BASE + "?identifier=urn:other|" + din.substring(0, 13)),
                Bundle.class)));
        // the eye-readable form with its check character names the same donation
        assertEquals(2, ids(parse(get(TestTokens.dispatcher(), BASE + "?identifier=" + din), Bundle.class)).size());
    }

    @Test
    void searchByCategoryAndStatus() {
        String q = BASE + "?identifier=" + din.substring(0, 13);
        assertEquals(List.of(din + "-FFP-A1"),
                ids(parse(get(TestTokens.dispatcher(), q + "&product-category=fluid"), Bundle.class)));
        assertEquals(List.of(din + "-RBC.LR"),
                ids(parse(get(TestTokens.dispatcher(), q + "&productCategory=http://hl7.org/fhir/product-category|cells"),
                        Bundle.class)));
        assertEquals(2, ids(parse(get(TestTokens.dispatcher(), q + "&productStatus=available"), Bundle.class)).size());
        assertEquals(List.of(), ids(parse(get(TestTokens.dispatcher(), q + "&product-status=unavailable"), Bundle.class)));
        assertEquals(List.of(), ids(parse(get(TestTokens.dispatcher(), q + "&product-category=organ"), Bundle.class)));
        // a whole category across donations, paged: every page valid, no unit twice
        Bundle first = parse(get(TestTokens.dispatcher(), BASE + "?product-category=fluid&_count=1"), Bundle.class);
        assertEquals(1, first.getEntry().size());
        String next = first.getLink("next").getUrl();
        Bundle second = parse(get(TestTokens.dispatcher(), next.substring(next.indexOf("/fhir/r5"))), Bundle.class);
        assertEquals(1, second.getEntry().size());
        assertTrue(!ids(first).equals(ids(second)));
        assertNull(parse(get(TestTokens.dispatcher(), q + "&_count=5"), Bundle.class).getLink("next"));
    }

    @Test
    void badSearchesAreOperationOutcomes() {
        Response unknown = get(TestTokens.dispatcher(), BASE + "?colour=red");
        assertEquals(400, unknown.statusCode());
        assertEquals("SEARCH_PARAMETER_UNKNOWN",
                parse(unknown, OperationOutcome.class).getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        Response badDin = get(TestTokens.dispatcher(), BASE + "?identifier=G123498654321A");
        assertEquals(422, badDin.statusCode());
        assertEquals("DIN_INVALID",
                parse(badDin, OperationOutcome.class).getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        assertEquals(400, get(TestTokens.dispatcher(), BASE + "?product-status=available&_count=0").statusCode());
        assertEquals(400, get(TestTokens.dispatcher(), BASE + "?product-status=available&_cursor=%%%").statusCode());
    }

    private static List<String> ids(Bundle b) {
        return b.getEntry().stream().map(e -> e.getResource().getIdPart()).sorted().toList();
    }

    private static List<org.hl7.fhir.r5.model.DataType> value(BiologicallyDerivedProduct p, String type) {
        return p.getProperty().stream().filter(x -> type.equals(x.getType().getCodingFirstRep().getCode()))
                .map(x -> x.getValue()).toList();
    }

    private static String code(BiologicallyDerivedProduct p, String type) {
        return ((CodeableConcept) value(p, type).get(0)).getCodingFirstRep().getCode();
    }
}
