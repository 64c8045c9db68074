package io.hemolink.e2e;

import io.hemolink.infra.DemoData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import static io.hemolink.e2e.Api.as;
import static io.hemolink.e2e.Api.await;
import static io.hemolink.e2e.Api.release;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 1 and 5 of the end-to-end issue, through the gateway with real Keycloak tokens: the station releases
 * stock; hospital-a orders EMERGENCY O RhD-negative; allocation is FEFO; dispatch; receipt; a transfusion is reported;
 * the hospital's stock, the balance board, the stock stream and the audit trail show it; hospital-b and his-h002 see
 * and change nothing of H001's.
 */
@ExtendWith(Platform.class)
class SupplyChainTest {

    static String dispatcher;
    static String hospitalA;

    @BeforeAll
    static void region() throws Exception {
        dispatcher = Platform.token("dispatcher");
        hospitalA = Platform.token("hospital-a");
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(dispatcher);
    }

    @Test
    void anEmergencyOrderFromReleaseToTransfusionIsSeenEverywhereAndByNoOtherHospital() throws Exception {
        String oldest = release(dispatcher, "RBC_LR", "O", "NEG", 1, 200, 20, "STATION");
        String middle = release(dispatcher, "RBC_LR", "O", "NEG", 1, 200, 10, "STATION");
        String freshest = release(dispatcher, "RBC_LR", "O", "NEG", 1, 200, 3, "STATION");
        BlockingQueue<String> stream = Api.stream(dispatcher, "/stock/stream");

        String orderId = as(hospitalA).header("Idempotency-Key", "e2e-" + oldest)
                .body("""
                        {"locationId":"H001","priority":"EMERGENCY",
                         "lines":[{"component":"RBC_LR","abo":"O","rhd":"NEG","quantity":2}]}""")
                .post("/orders").then().statusCode(201).body("status", equalTo("SUBMITTED")).extract().path("id");
        await("the order is allocated", Duration.ofSeconds(20), () -> "ALLOCATED".equals(
                as(hospitalA).get("/orders/" + orderId).then().statusCode(200).extract().path("status")));
        List<String> allocated = as(hospitalA).get("/orders/" + orderId).then().extract().path("lines[0].units.din");
        assertEquals(List.of(oldest, middle), allocated, "first expiry first");

        as(dispatcher).post("/orders/" + orderId + "/dispatch").then().statusCode(201);
        as(hospitalA).get("/orders/" + orderId).then().body("status", equalTo("DISPATCHED"));
        await("the bags are in transit", Duration.ofSeconds(10), () -> allocated.stream().allMatch(din ->
                "IN_TRANSIT".equals(as(dispatcher).get("/units/" + din + "/RBC_LR").then().extract().path("status"))));

        as(hospitalA).body("""
                        {"units":[{"din":"%s","component":"RBC_LR","accepted":true},
                                  {"din":"%s","component":"RBC_LR","accepted":true}]}""".formatted(oldest, middle))
                .post("/orders/" + orderId + "/receipt").then().statusCode(200).body("status", equalTo("RECEIVED"));
        await("the bags are available at H001", Duration.ofSeconds(10), () -> allocated.stream().allMatch(din ->
                "H001".equals(as(hospitalA).get("/units/" + din + "/RBC_LR").then().extract().path("locationId"))));
        assertEquals(2, h001Bags());

        as(hospitalA).body("""
                        {"type":"TRANSFUSED","patientRef":"MRN-E2E-1","occurredAt":"%s"}""".formatted(Instant.now()))
                .post("/units/" + oldest + "/RBC_LR/events").then().statusCode(201);
        as(hospitalA).get("/units/" + oldest + "/RBC_LR").then().body("status", equalTo("TRANSFUSED"));
        await("H001's stock shows one bag left", Duration.ofSeconds(5), () -> h001Bags() == 1);
        Map<String, Object> row = as(dispatcher).get("/stock/balance").then().statusCode(200).extract()
                .jsonPath().getMap("rows.find { it.component == 'RBC_LR' && it.abo == 'O' && it.rhd == 'NEG' }");
        assertEquals(1, row.get("hospitals"), "the balance board shows what the hospitals hold");
        assertEquals(1, row.get("station"), "and what is left at the station");
        as(dispatcher).get("/units/" + freshest + "/RBC_LR").then().body("status", equalTo("AVAILABLE"));

        String event = Api.poll(stream, e -> e.startsWith("stock ") && e.contains("\"H001\"") && e.contains("\"RBC_LR\"")
                && e.contains("\"NEG\""), Duration.ofSeconds(5));
        assertNotNull(event, "the stock stream carried H001's change");

        List<Map<String, Object>> audit = as(dispatcher).queryParam("actor", "hospital-a").get("/audit")
                .then().statusCode(200).extract().path("items");
        assertTrue(audit.stream().anyMatch(e -> ("/api/v1/orders/" + orderId + "/receipt").equals(e.get("path"))
                && Integer.valueOf(200).equals(e.get("status"))), "the receipt is in the audit trail");

        // tenancy: another hospital's user and service account neither see nor change H001's order
        String hospitalB = Platform.token("hospital-b");
        String hisH002 = Api.serviceAccount("his-h002", "his-h002-secret");
        for (String other : List.of(hospitalB, hisH002)) {
            as(other).get("/orders/" + orderId).then().statusCode(404);
            as(other).post("/orders/" + orderId + "/cancel").then().statusCode(404);
            as(other).get("/units/" + middle + "/RBC_LR").then().statusCode(404);
            List<String> visible = as(other).get("/orders").then().statusCode(200).extract().path("items.id");
            assertFalse(visible.contains(orderId));
        }
        as(hospitalA).get("/orders/" + orderId).then().statusCode(200).body("status", equalTo("RECEIVED"));
    }

    /**
     * An order amended before dispatch through the gateway (ADR 0034): it keeps its id and, of its bags, those that
     * still fit the amended line, up to its new quantity; the rest go back to the station's stock; after dispatch
     * another amendment is 409.
     */
    @Test
    void anOrderAmendedBeforeDispatchKeepsItsFittingBagsAndGivesBackTheRest() {
        for (int daysAgo = 10; daysAgo <= 12; daysAgo++) {
            release(dispatcher, "RBC_LR", "B", "NEG", 1, 200, daysAgo, "STATION");
        }
        String orderId = as(hospitalA).body("""
                        {"locationId":"H001","priority":"URGENT",
                         "lines":[{"component":"RBC_LR","abo":"B","rhd":"NEG","quantity":3}]}""")
                .post("/orders").then().statusCode(201).extract().path("id");
        await("the order is allocated", Duration.ofSeconds(20), () -> "ALLOCATED".equals(
                as(hospitalA).get("/orders/" + orderId).then().statusCode(200).extract().path("status")));
        List<String> before = as(hospitalA).get("/orders/" + orderId).then().extract().path("lines[0].units.din");
        assertEquals(3, before.size());

        as(hospitalA).body("""
                        {"priority":"EMERGENCY","lines":[{"lineNo":1,"component":"RBC_LR","abo":"B","rhd":"NEG","quantity":1}]}""")
                .patch("/orders/" + orderId).then().statusCode(200).body("id", equalTo(orderId))
                .body("status", equalTo("SUBMITTED")).body("priority", equalTo("EMERGENCY"));
        await("the amended order is allocated again", Duration.ofSeconds(20), () -> "ALLOCATED".equals(
                as(hospitalA).get("/orders/" + orderId).then().extract().path("status")));
        List<String> after = as(hospitalA).get("/orders/" + orderId).then().extract().path("lines[0].units.din");
        assertEquals(1, after.size(), "never more than the new quantity");
        assertTrue(before.containsAll(after), "it kept a bag it had: " + before + " → " + after);
        for (String din : before) {
            if (!after.contains(din)) {
                await(din + " is back in stock", Duration.ofSeconds(10), () -> "AVAILABLE".equals(
                        as(dispatcher).get("/units/" + din + "/RBC_LR").then().extract().path("status")));
            }
        }
        List<String> history = as(hospitalA).get("/orders/" + orderId).then().extract().path("history.detail");
        assertTrue(history.stream().anyMatch(d -> d != null && d.startsWith("amended: priority URGENT → EMERGENCY")),
                history.toString());

        as(dispatcher).post("/orders/" + orderId + "/dispatch").then().statusCode(201);
        as(hospitalA).body("{\"priority\":\"ROUTINE\"}").patch("/orders/" + orderId).then().statusCode(409)
                .body("code", equalTo("ORDER_DISPATCHED"));
    }

    /** What an integrator's hand-built URL with broken percent-encoding gets through the gateway: a problem, not a bare 400. */
    @Test
    void aMalformedQueryThroughTheGatewayIsAProblem() throws Exception {
        URI api = URI.create(Platform.API);
        try (java.net.Socket socket = new java.net.Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + api.getPath() + "/orders?locationId=%zz HTTP/1.1\r\nHost: "
                    + api.getHost() + "\r\nAuthorization: Bearer " + hospitalA + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("MALFORMED_QUERY"), answer);
        }
    }

    private static int h001Bags() {
        List<Integer> bags = as(hospitalA).queryParam("locationId", "H001").queryParam("component", "RBC_LR")
                .queryParam("abo", "O").queryParam("rhd", "NEG").get("/stock").then().statusCode(200)
                .extract().path("items.bags");
        return bags.stream().mapToInt(Integer::intValue).sum();
    }

    /** The FHIR R5 facade through the gateway with real tokens (ADR 0032): metadata open, tenancy as on /api/v1. */
    @Test
    void theFhirFacadeAnswersThroughTheGatewayWithTheTenancyOfTheRestApi() {
        String fhir = Platform.API.replace("/api/v1", "/fhir/r5");
        io.restassured.RestAssured.given().accept("application/fhir+json").get(fhir + "/metadata").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("application/fhir+json"))
                .body("resourceType", equalTo("CapabilityStatement")).body("fhirVersion", equalTo("5.0.0"));
        String din = release(dispatcher, "RBC", "A", "POS", 2, 400, 2, "H001");
        String id = din + "-RBC";
        io.restassured.RestAssured.given().auth().oauth2(hospitalA).get(fhir + "/BiologicallyDerivedProduct/" + id)
                .then().statusCode(200).body("identifier[0].value", equalTo(din.substring(0, 13)));
        io.restassured.RestAssured.given().auth().oauth2(Platform.token("hospital-b"))
                .get(fhir + "/BiologicallyDerivedProduct/" + id).then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
        io.restassured.RestAssured.given().get(fhir + "/SupplyRequest").then().statusCode(401)
                .body("resourceType", equalTo("OperationOutcome"));
        io.restassured.RestAssured.given().auth().oauth2(hospitalA).get(fhir + "/SupplyRequest?requester=Location/H001")
                .then().statusCode(200).body("resourceType", equalTo("Bundle")).body("type", equalTo("searchset"));
    }
}
