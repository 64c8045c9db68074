package io.hemolink.order;

import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.hemolink.order.OrderTesting.awaitStatus;
import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.send;
import static io.hemolink.order.OrderTesting.sleep;
import static io.hemolink.order.OrderTesting.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Admission control (ADR 0026) with a real lag: this module runs without an inventory, so a submitted order stays
 * SUBMITTED until the test sends its allocation event; once the oldest is older than the (narrowed) bound, ROUTINE
 * orders get 429 ALLOCATION_BACKLOG with Retry-After while URGENT and EMERGENCY are taken, and the door opens again
 * when the allocations arrive.
 */
@QuarkusTest
@TestProfile(AdmissionControlTest.NarrowBound.class)
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class AdmissionControlTest {

    public static class NarrowBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // orders other test classes left SUBMITTED are older than the look-back, so they do not count here
            return Map.of("hemolink.order.admission.max-lag", "PT3S", "hemolink.order.admission.retry-after", "PT7S",
                    "hemolink.order.admission.look-back", "PT20S", "hemolink.order.admission.sample", "PT0.2S");
        }
    }

    @Test
    void routineOrdersWaitWhileAllocationIsBehindAndUrgentOnesNever() {
        awaitLagWithinBound();
        String h = hospital("H951");
        String lines = line("RBC", "O", "POS", 1);
        String first = submit(h, orderJson(h, "ROUTINE", lines));
        sleep(3600); // the first order waits for the inventory: the lag passes the bound

        String token = TestTokens.hospital(h);
        given().auth().oauth2(token).contentType("application/json").header("Idempotency-Key", "adm-" + first)
                .body(orderJson(h, "ROUTINE", lines)).post("/api/v1/orders").then().statusCode(429)
                .contentType("application/problem+json").header("Retry-After", equalTo("7"))
                .body("code", equalTo("ALLOCATION_BACKLOG")).body("detail", containsString("ROUTINE"));
        // the FHIR facade's SupplyRequest create is admitted by the same rule: 429 as an OperationOutcome, nothing placed
        org.hl7.fhir.r5.model.SupplyRequest routine = SupplyRequestFhirTest.request(h, "RBC", 1, "O", "POS")
                .setPriority(org.hl7.fhir.r5.model.Enumerations.RequestPriority.ROUTINE);
        io.restassured.response.Response fhir = given().auth().oauth2(token).contentType(io.hemolink.fhir.Fhir.MEDIA_TYPE)
                .body(io.hemolink.fhir.Fhir.json(routine)).post("/fhir/r5/SupplyRequest");
        assertEquals(429, fhir.statusCode(), fhir.asString());
        assertEquals("7", fhir.header("Retry-After"));
        assertTrue(fhir.contentType().startsWith(io.hemolink.fhir.Fhir.MEDIA_TYPE), fhir.contentType());
        assertTrue(fhir.asString().contains("ALLOCATION_BACKLOG") && fhir.asString().contains("\"throttled\""),
                fhir.asString());
        String urgent = submit(h, orderJson(h, "URGENT", lines));
        String emergency = submit(h, orderJson(h, "EMERGENCY", lines));
        given().get("/q/metrics").then().statusCode(200).body(containsString("hemolink_allocation_lag_seconds"))
                .body(containsString("hemolink_allocation_backlog_orders"));
        String health = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertTrue(health.contains("allocation-lag"), health);

        // the inventory catches up: the door opens again, and the key refused before is free to be used
        for (String id : List.of(first, urgent, emergency)) {
            send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.BACKORDERED,
                    List.of(new AllocationMade.Line(1, 0, List.of())), Instant.now()));
        }
        for (String id : List.of(first, urgent, emergency)) {
            awaitStatus(h, id, "BACKORDERED");
        }
        sleep(300);
        given().auth().oauth2(token).contentType("application/json").header("Idempotency-Key", "adm-" + first)
                .body(orderJson(h, "ROUTINE", lines)).post("/api/v1/orders").then().statusCode(201)
                .body("priority", equalTo("ROUTINE")).body("status", equalTo("SUBMITTED"));
    }

    /** A hospital of this class (a test profile restarts the counters of OrderTesting, so fixed ids, kept if known). */
    private static String hospital(String id) {
        int status = OrderTesting.putLocation(id, "{\"name\":\"测试医院 Admission\",\"kind\":\"HOSPITAL\"}").extract().statusCode();
        assertTrue(status == 200 || status == 201, "PUT /locations/" + id + ": " + status);
        return id;
    }

    /** Orders other classes left SUBMITTED moments ago leave the look-back window within 20 s. */
    private static void awaitLagWithinBound() {
        String h = hospital("H950");
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (System.nanoTime() < deadline) {
            var r = given().auth().oauth2(TestTokens.hospital(h)).contentType("application/json")
                    .body(orderJson(h, "ROUTINE", line("RBC", "A", "POS", 1))).post("/api/v1/orders").then().extract();
            if (r.statusCode() == 201) {
                String id = r.path("id"); // allocated at once, so it adds nothing to the lag
                send(Events.ALLOCATION_MADE, id, new AllocationMade(id, h, OrderStatus.BACKORDERED,
                        List.of(new AllocationMade.Line(1, 0, List.of())), Instant.now()));
                awaitStatus(h, id, "BACKORDERED");
                return;
            }
            sleep(1000);
        }
        fail("ROUTINE orders were still refused after 40 s");
    }
}
