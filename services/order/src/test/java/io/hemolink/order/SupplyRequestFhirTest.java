package io.hemolink.order;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.fhir.testing.FhirValidation;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.SupplyRequest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order service's FHIR R5 facade: a SupplyRequest created through HAPI's generic client, as an integrator would,
 * places an order; it is read and searched back; bad input is an OperationOutcome and places nothing; another
 * hospital's is 404. Every resource received is validated against the R5 core definitions.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class SupplyRequestFhirTest {

    @TestHTTPResource("/fhir/r5")
    URL base;

    static {
        // the services do not serve /metadata (the gateway does): the client must not ask them for it first
        Fhir.context().getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    IGenericClient client(String token) {
        IGenericClient c = Fhir.context().newRestfulGenericClient(base.toString());
        c.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return c;
    }

    static SupplyRequest request(String location, String component, int quantity, String abo, String rhd) {
        SupplyRequest r = new SupplyRequest();
        r.setStatus(SupplyRequest.SupplyRequestStatus.ACTIVE);
        r.setPriority(Enumerations.RequestPriority.STAT);
        r.setItem(new CodeableReference(new CodeableConcept(new Coding(FhirSystems.COMPONENT, component, null))));
        r.setQuantity(new Quantity().setValue(quantity).setUnit("U"));
        r.setRequester(new Reference("Location/" + location));
        r.setDeliverTo(new Reference("Location/" + location));
        r.addParameter().setCode(concept(FhirSystems.ORDER_PARAMETER, "abo")).setValue(concept(FhirSystems.ABO, abo));
        r.addParameter().setCode(concept(FhirSystems.ORDER_PARAMETER, "rhd")).setValue(concept(FhirSystems.RHD, rhd));
        r.addParameter().setCode(concept(FhirSystems.ORDER_PARAMETER, "irradiated")).setValue(new BooleanType(true));
        r.addParameter().setCode(concept(FhirSystems.ORDER_PARAMETER, "allowSubstitution")).setValue(new BooleanType(false));
        return r;
    }

    static CodeableConcept concept(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    static <T extends IBaseResource> T valid(T resource) {
        FhirValidation.assertValid(Fhir.json(resource));
        return resource;
    }

    static Response raw(String token, String path) {
        Response r = given().auth().oauth2(token).accept(Fhir.MEDIA_TYPE).get(path);
        assertTrue(r.contentType().startsWith(Fhir.MEDIA_TYPE), path + " answered " + r.contentType());
        FhirValidation.assertValid(r.asString());
        return r;
    }

    @Test
    void anIntegratorPlacesAnOrderAndFindsItAgain() {
        String h = OrderTesting.newHospital();
        IGenericClient his = client(TestTokens.his(h));
        MethodOutcome created = his.create().resource(request(h, "RBC", 2, "O", "NEG"))
                .withAdditionalHeader("Idempotency-Key", UUID.randomUUID().toString()).execute();
        assertTrue(created.getCreated());
        SupplyRequest placed = valid((SupplyRequest) created.getResource());
        String id = created.getId().getIdPart();
        assertEquals(id, placed.getIdPart());
        assertEquals(Enumerations.RequestPriority.STAT, placed.getPriority());
        String orderId = placed.getIdentifierFirstRep().getValue();

        // the order is there, as POST /orders would have placed it
        given().auth().oauth2(TestTokens.his(h)).get("/api/v1/orders/" + orderId).then().statusCode(200)
                .body("priority", org.hamcrest.Matchers.equalTo("EMERGENCY"))
                .body("locationId", org.hamcrest.Matchers.equalTo(h))
                .body("lines[0].component", org.hamcrest.Matchers.equalTo("RBC"))
                .body("lines[0].quantity", org.hamcrest.Matchers.equalTo(2))
                .body("lines[0].irradiated", org.hamcrest.Matchers.equalTo(true))
                .body("allowSubstitution", org.hamcrest.Matchers.equalTo(false));

        SupplyRequest read = valid(his.read().resource(SupplyRequest.class).withId(id).execute());
        assertEquals("Location/" + h, read.getRequester().getReference());
        assertEquals("RBC", read.getItem().getConcept().getCodingFirstRep().getCode());
        assertEquals(SupplyRequest.SupplyRequestStatus.ACTIVE, read.getStatus());
        raw(TestTokens.his(h), "/fhir/r5/SupplyRequest/" + id);

        Bundle found = valid(his.search().forResource(SupplyRequest.class)
                .where(SupplyRequest.REQUESTER.hasId("Location/" + h))
                .and(SupplyRequest.STATUS.exactly().code("active"))
                .returnBundle(Bundle.class).execute());
        assertEquals(List.of(id), found.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList());
        assertEquals(0, valid(his.search().forResource(SupplyRequest.class)
                .where(SupplyRequest.STATUS.exactly().code("cancelled")).returnBundle(Bundle.class).execute()).getEntry().size());

        // cancelled through the REST API, the SupplyRequest follows
        given().auth().oauth2(TestTokens.his(h)).contentType("application/json").body("{}")
                .post("/api/v1/orders/" + orderId + "/cancel").then().statusCode(200);
        assertEquals(SupplyRequest.SupplyRequestStatus.CANCELLED,
                valid(his.read().resource(SupplyRequest.class).withId(id).execute()).getStatus());
        Bundle cancelled = parse(raw(TestTokens.dispatcher(), "/fhir/r5/SupplyRequest?requester=" + h + "&status=cancelled"),
                Bundle.class);
        assertEquals(1, cancelled.getEntry().size());
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstOrder() {
        String h = OrderTesting.newHospital();
        String body = Fhir.json(request(h, "RBC", 2, "A", "POS"));
        String key = UUID.randomUUID().toString();
        Response first = post(TestTokens.hospital(h), key, body);
        assertEquals(201, first.statusCode());
        Response again = post(TestTokens.hospital(h), key, body);
        assertEquals(201, again.statusCode());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(parse(first, SupplyRequest.class).getIdPart(), parse(again, SupplyRequest.class).getIdPart());
        assertEquals(first.header("Location"), again.header("Location"));
        assertTrue(first.header("Location").matches("http://[^/]+/fhir/r5/SupplyRequest/[0-9a-f-]+-1"), first.header("Location"));
        Response other = post(TestTokens.hospital(h), key, Fhir.json(request(h, "RBC", 4, "A", "POS")));
        assertEquals(422, other.statusCode());
        assertEquals("IDEMPOTENCY_KEY_REUSED", code(other));
        assertEquals(1, ordersOf(h));
    }

    @Test
    void anInvalidSupplyRequestIsAnOperationOutcomeAndPlacesNothing() {
        String h = OrderTesting.newHospital();
        String token = TestTokens.his(h);
        // HAPI's client sees the 422 as what it is
        SupplyRequest noGroup = request(h, "RBC", 2, "O", "NEG");
        noGroup.getParameter().remove(0);
        UnprocessableEntityException e = assertThrows(UnprocessableEntityException.class,
                () -> client(token).create().resource(noGroup).execute());
        OperationOutcome oo = valid((OperationOutcome) e.getOperationOutcome());
        assertEquals("SUPPLY_REQUEST_INVALID", oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        assertTrue(oo.getIssue().stream().anyMatch(i -> i.getDiagnostics().contains("abo")), Fhir.json(oo));

        SupplyRequest unknownComponent = request(h, "PLASMA", 2, "O", "NEG");
        unknownComponent.setPriority(Enumerations.RequestPriority.ASAP);
        unknownComponent.setQuantity(new Quantity().setValue(1.5));
        Response several = post(token, null, Fhir.json(unknownComponent));
        assertEquals(422, several.statusCode());
        List<String> at = parse(several, OperationOutcome.class).getIssue().stream()
                .flatMap(i -> i.getExpression().stream()).map(x -> x.getValue()).toList();
        assertTrue(at.containsAll(List.of("SupplyRequest.item", "SupplyRequest.priority", "SupplyRequest.quantity")), at.toString());

        Response unknownElement = post(token, null, "{\"resourceType\":\"SupplyRequest\",\"colour\":\"red\"}");
        assertEquals(400, unknownElement.statusCode());
        assertEquals("FHIR_RESOURCE_INVALID", code(unknownElement));
        assertEquals(400, post(token, null, "{\"resourceType\":\"Patient\"}").statusCode());
        assertEquals(400, post(token, null, "not json").statusCode());

        // another hospital's location: as on POST /orders, 403 LOCATION_NOT_YOURS
        Response notYours = post(token, null, Fhir.json(request("H002", "RBC", 2, "O", "NEG")));
        assertEquals(403, notYours.statusCode());
        assertEquals("LOCATION_NOT_YOURS", code(notYours));
        assertEquals(0, ordersOf(h));
    }

    @Test
    void anotherHospitalsSupplyRequestIsNotFound() {
        String h = OrderTesting.newHospital();
        String other = OrderTesting.newHospital();
        MethodOutcome created = client(TestTokens.his(h)).create().resource(request(h, "PLT_AP", 1, "A", "POS")).execute();
        String id = created.getId().getIdPart();
        assertThrows(ResourceNotFoundException.class,
                () -> client(TestTokens.his(other)).read().resource(SupplyRequest.class).withId(id).execute());
        Response r = raw(TestTokens.hospital(other), "/fhir/r5/SupplyRequest/" + id);
        assertEquals(404, r.statusCode());
        assertEquals(OperationOutcome.IssueType.NOTFOUND, parse(r, OperationOutcome.class).getIssueFirstRep().getCode());
        assertEquals(404, raw(TestTokens.dispatcher(), "/fhir/r5/SupplyRequest/not-an-id").statusCode());
        // the other hospital's search sees none of it, and may not name the first hospital
        assertEquals(0, parse(raw(TestTokens.hospital(other), "/fhir/r5/SupplyRequest"), Bundle.class).getEntry().size());
        Response named = raw(TestTokens.hospital(other), "/fhir/r5/SupplyRequest?requester=Location/" + h);
        assertEquals(403, named.statusCode());
        assertEquals(200, raw(TestTokens.dispatcher(), "/fhir/r5/SupplyRequest/" + id).statusCode());
        BaseServerResponseException noToken = assertThrows(BaseServerResponseException.class,
                () -> Fhir.context().newRestfulGenericClient(base.toString()).read().resource(SupplyRequest.class)
                        .withId(id).execute());
        assertEquals(401, noToken.getStatusCode());
    }

    private static Response post(String token, String key, String body) {
        var request = given().auth().oauth2(token).contentType(Fhir.MEDIA_TYPE).accept(Fhir.MEDIA_TYPE).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        Response r = request.post("/fhir/r5/SupplyRequest");
        assertTrue(r.contentType().startsWith(Fhir.MEDIA_TYPE), r.statusCode() + " " + r.contentType() + " " + r.asString());
        FhirValidation.assertValid(r.asString());
        return r;
    }

    static <T extends IBaseResource> T parse(Response r, Class<T> type) {
        try {
            return Fhir.context().newJsonParser().parseResource(type, r.asString());
        } catch (ca.uhn.fhir.parser.DataFormatException e) {
            throw new AssertionError("expected a " + type.getSimpleName() + ", got " + r.statusCode() + " " + r.asString(), e);
        }
    }

    static String code(Response r) {
        return parse(r, OperationOutcome.class).getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
    }

    private static int ordersOf(String h) {
        List<?> items = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders?locationId=" + h).then()
                .statusCode(200).extract().path("items");
        assertNotNull(items);
        return items.size();
    }
}
