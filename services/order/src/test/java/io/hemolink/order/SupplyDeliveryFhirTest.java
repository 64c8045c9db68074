package io.hemolink.order;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.SupplyDelivery;
import org.hl7.fhir.r5.model.SupplyDelivery.SupplyDeliveryStatus;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;
import java.util.List;

import static io.hemolink.order.OrderTesting.awaitStatus;
import static io.hemolink.order.OrderTesting.bag;
import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.receipt;
import static io.hemolink.order.OrderTesting.send;
import static io.hemolink.order.OrderTesting.submit;
import static io.hemolink.order.SupplyRequestFhirTest.code;
import static io.hemolink.order.SupplyRequestFhirTest.parse;
import static io.hemolink.order.SupplyRequestFhirTest.raw;
import static io.hemolink.order.SupplyRequestFhirTest.valid;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order service's SupplyDelivery: a dispatch is in progress, its receipt completes it (the accepted bags), a
 * receipt rejecting every bag abandons it; found by basedOn (the SupplyRequest) and status, through HAPI's generic
 * client as an integrator would; another hospital's is 404, a search parameter it does not know 400. Every resource
 * received is validated against the R5 core definitions.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class SupplyDeliveryFhirTest {

    @TestHTTPResource("/fhir/r5")
    URL base;

    static {
        // the services do not serve /metadata (the gateway does): the client must not ask them for it first
        Fhir.context().getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    /** An order of two lines for {@code h}, allocated (two red-cell bags, one plasma) and dispatched. */
    record Dispatched(String orderId, String note, UnitRef a, UnitRef b, UnitRef plasma) {
    }

    static Dispatched dispatched(String h) {
        String id = submit(h, orderJson(h, "URGENT", line("RBC_LR", "O", "POS", 3) + "," + line("FFP", "A", "POS", 400)
                + "," + line("PLT_AP", "A", "POS", 1)));
        UnitRef a = bag(Component.RBC_LR, Abo.O, RhD.POS, 2);
        UnitRef b = bag(Component.RBC_LR, Abo.O, RhD.POS, 1);
        UnitRef plasma = bag(Component.FFP, Abo.A, RhD.POS, 400);
        // line 3 (platelets) gets nothing: the delivery is not based on it
        send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.PARTIALLY_ALLOCATED, List.of(
                new AllocationMade.Line(1, 3, List.of(a, b)), new AllocationMade.Line(2, 400, List.of(plasma)),
                new AllocationMade.Line(3, 0, List.of())), Instant.now()));
        awaitStatus(h, id, "PARTIALLY_ALLOCATED");
        String note = post(TestTokens.dispatcher(), "/orders/" + id + "/dispatch", "").statusCode(201)
                .extract().path("no");
        return new Dispatched(id, note, a, b, plasma);
    }

    IGenericClient client(String token) {
        IGenericClient c = Fhir.context().newRestfulGenericClient(base.toString());
        c.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return c;
    }

    @Test
    void aDispatchIsInProgressUntilReceivedThenCompletedWithTheAcceptedBags() {
        String h = OrderTesting.newHospital();
        Dispatched d = dispatched(h);
        IGenericClient his = client(TestTokens.his(h));

        // found by the SupplyRequest of a line it carries, as an integrator would, and read by its id
        Bundle found = valid(his.search().forResource(SupplyDelivery.class)
                .where(new ReferenceClientParam("based-on").hasId("SupplyRequest/" + d.orderId() + "-1"))
                .returnBundle(Bundle.class).execute());
        assertEquals(1, found.getEntry().size());
        SupplyDelivery inTransit = (SupplyDelivery) found.getEntryFirstRep().getResource();
        assertEquals(d.note(), inTransit.getIdPart());
        SupplyDelivery read = valid(his.read().resource(SupplyDelivery.class).withId(d.note()).execute());
        assertEquals(SupplyDeliveryStatus.INPROGRESS, read.getStatus());
        assertEquals(List.of(FhirSystems.ISSUE_NOTE + "|" + d.note(), FhirSystems.ORDER + "|" + d.orderId()),
                read.getIdentifier().stream().map(i -> i.getSystem() + "|" + i.getValue()).toList());
        assertEquals(List.of("SupplyRequest/" + d.orderId() + "-1", "SupplyRequest/" + d.orderId() + "-2"),
                read.getBasedOn().stream().map(Reference::getReference).toList());
        assertEquals("biologicallyderivedproduct", read.getType().getCodingFirstRep().getCode());
        assertEquals(List.of(product(d.a(), "RBC.LR"), product(d.b(), "RBC.LR"), product(d.plasma(), "FFP")),
                items(read));
        assertEquals(List.of(2, 1, 400), read.getSuppliedItem().stream()
                .map(i -> i.getQuantity().getValue().intValue()).toList());
        assertEquals("mL", read.getSuppliedItem().get(2).getQuantity().getCode());
        assertEquals("Organization/STATION", read.getSupplier().getReference());
        assertEquals("Location/" + h, read.getDestination().getReference());
        assertTrue(read.getReceiver().isEmpty());
        assertNotNull(((DateTimeType) read.getOccurrence()).getValue());
        // a line that got no bag names no delivery; the basedOn spelling of api.md works too
        assertEquals(0, bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?based-on=SupplyRequest/" + d.orderId() + "-3")
                .getEntry().size());
        assertEquals(1, bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?basedOn=" + d.orderId() + "-2&status=in-progress")
                .getEntry().size());
        assertEquals(0, bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?basedOn=" + d.orderId() + "-2&status=completed")
                .getEntry().size());

        // received, one bag rejected: completed, supplying the accepted two, received by the hospital
        post(TestTokens.hospital(h), "/orders/" + d.orderId() + "/receipt", "{\"units\":["
                + receipt(d.a().din(), "RBC_LR", true, null) + "," + receipt(d.b().din(), "RBC_LR", false, "bag leaking")
                + "," + receipt(d.plasma().din(), "FFP", true, null) + "]}").statusCode(200);
        SupplyDelivery received = valid(his.read().resource(SupplyDelivery.class).withId(d.note()).execute());
        assertEquals(SupplyDeliveryStatus.COMPLETED, received.getStatus());
        assertEquals(List.of(product(d.a(), "RBC.LR"), product(d.plasma(), "FFP")), items(received));
        assertEquals(List.of("Organization/" + h), received.getReceiver().stream().map(Reference::getReference).toList());
        Bundle completed = valid(his.search().forResource(SupplyDelivery.class)
                .where(new TokenClientParam("status").exactly().systemAndCode(
                        "http://hl7.org/fhir/supplydelivery-status", "completed"))
                .returnBundle(Bundle.class).execute());
        assertEquals(List.of(d.note()), ids(completed));
        assertEquals(0, bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?status=in-progress").getEntry().size());
        // the station sees it among everyone's
        assertTrue(ids(bundle(TestTokens.dispatcher(), "/fhir/r5/SupplyDelivery?status=completed&_count=500"))
                .contains(d.note()));
    }

    @Test
    void aReceiptRejectingEveryBagAbandonsTheDelivery() {
        String h = OrderTesting.newHospital();
        Dispatched d = dispatched(h);
        post(TestTokens.hospital(h), "/orders/" + d.orderId() + "/receipt", "{\"units\":["
                + receipt(d.a().din(), "RBC_LR", false, "haemolysed") + "," + receipt(d.b().din(), "RBC_LR", false, "cold chain broken")
                + "," + receipt(d.plasma().din(), "FFP", false, "cold chain broken") + "]}").statusCode(200);
        SupplyDelivery abandoned = parse(raw(TestTokens.his(h), "/fhir/r5/SupplyDelivery/" + d.note()), SupplyDelivery.class);
        assertEquals(SupplyDeliveryStatus.ABANDONED, abandoned.getStatus());
        // what was on its way, none of it supplied
        assertEquals(3, abandoned.getSuppliedItem().size());
        assertEquals(List.of(d.note()), ids(bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?status=abandoned")));
        assertEquals(List.of(), ids(bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?status=completed,in-progress")));
        // a status no delivery has, or another system's code, finds nothing
        assertEquals(0, bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?status=entered-in-error").getEntry().size());
        assertEquals(0, bundle(TestTokens.his(h), "/fhir/r5/SupplyDelivery?status=http://example.org|abandoned")
                .getEntry().size());
    }

    @Test
    void anotherHospitalsDeliveryIsNotFoundAndBadSearchesAreRefused() {
        String h = OrderTesting.newHospital();
        String other = OrderTesting.newHospital();
        Dispatched d = dispatched(h);
        assertThrows(ResourceNotFoundException.class,
                () -> client(TestTokens.his(other)).read().resource(SupplyDelivery.class).withId(d.note()).execute());
        Response notYours = raw(TestTokens.hospital(other), "/fhir/r5/SupplyDelivery/" + d.note());
        assertEquals(404, notYours.statusCode());
        assertEquals(OperationOutcome.IssueType.NOTFOUND, parse(notYours, OperationOutcome.class).getIssueFirstRep().getCode());
        assertEquals(404, raw(TestTokens.dispatcher(), "/fhir/r5/SupplyDelivery/CK19990101-000000").statusCode());
        // the other hospital's search sees none of it, even naming its request
        assertEquals(0, bundle(TestTokens.his(other), "/fhir/r5/SupplyDelivery?based-on=SupplyRequest/" + d.orderId() + "-1")
                .getEntry().size());
        assertEquals(0, bundle(TestTokens.his(other), "/fhir/r5/SupplyDelivery").getEntry().size());
        assertEquals(200, raw(TestTokens.dispatcher(), "/fhir/r5/SupplyDelivery/" + d.note()).statusCode());

        // a parameter the search does not know, a malformed reference, a bad cursor or _count: 400 OperationOutcome
        for (String q : List.of("patient=Patient/1", "based-on=Patient/x/1", "_cursor=***", "_count=0",
                "status=")) {
            Response bad = raw(TestTokens.his(h), "/fhir/r5/SupplyDelivery?" + q);
            assertEquals(400, bad.statusCode(), q);
            assertEquals(OperationOutcome.IssueType.STRUCTURE, parse(bad, OperationOutcome.class).getIssueFirstRep().getCode());
        }
        assertEquals("SEARCH_PARAMETER_UNKNOWN", code(raw(TestTokens.his(h), "/fhir/r5/SupplyDelivery?patient=Patient/1")));
        // no token: 401
        assertEquals(401, given().accept(Fhir.MEDIA_TYPE).get("/fhir/r5/SupplyDelivery/" + d.note()).statusCode());
    }

    @Test
    void searchPagesThroughEveryDeliveryOnce() {
        String h = OrderTesting.newHospital();
        List<String> notes = List.of(dispatched(h).note(), dispatched(h).note(), dispatched(h).note());
        List<String> seen = new java.util.ArrayList<>();
        String next = "/fhir/r5/SupplyDelivery?_count=2";
        int pages = 0;
        while (next != null) {
            Bundle page = bundle(TestTokens.his(h), next);
            seen.addAll(ids(page));
            pages++;
            Bundle.BundleLinkComponent link = page.getLink("next");
            next = link == null ? null : link.getUrl().replaceFirst("^http://[^/]+", "");
        }
        assertEquals(notes, seen);
        assertEquals(2, pages);
    }

    private static String product(UnitRef u, String component) {
        return "BiologicallyDerivedProduct/" + u.din() + "-" + component;
    }

    private static List<String> items(SupplyDelivery d) {
        return d.getSuppliedItem().stream().map(i -> ((Reference) i.getItem()).getReference()).toList();
    }

    private static List<String> ids(Bundle b) {
        return b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    static Bundle bundle(String token, String path) {
        Response r = raw(token, path);
        assertEquals(200, r.statusCode(), path + ": " + r.asString());
        return parse(r, Bundle.class);
    }
}
