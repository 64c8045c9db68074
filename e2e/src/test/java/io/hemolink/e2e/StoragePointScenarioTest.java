package io.hemolink.e2e;

import io.hemolink.infra.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.hemolink.e2e.Api.as;
import static io.hemolink.e2e.Api.await;
import static io.hemolink.e2e.Api.release;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Scenario 3 of the end-to-end issue at the demo storage point SP01: falling below par places a replenishment order
 * that is allocated, dispatched and received at the point; a temperature excursion in its fridge quarantines the units
 * in the ledger; the operator cannot release them, station QA can.
 */
@ExtendWith(Platform.class)
class StoragePointScenarioTest {

    @Test
    void belowParStockArrivesThenAnExcursionQuarantinesItUntilQaReleasesIt() throws Exception {
        String dispatcher = Platform.token("dispatcher");
        String operator = Platform.token("sp-operator");
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(dispatcher);
        List<String> stationBags = List.of(
                release(dispatcher, "RBC_LR", "O", "POS", 1, 200, 6, "STATION"),
                release(dispatcher, "RBC_LR", "O", "POS", 1, 200, 5, "STATION"));

        as(dispatcher).body("{\"parLevels\":[{\"component\":\"RBC_LR\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":1,\"target\":2}]}")
                .put("/storage-points/SP01/par-levels").then().statusCode(200);
        String requestId = as(dispatcher).get("/storage-points/SP01").then().statusCode(200).extract()
                .path("parLevels.find { it.component == 'RBC_LR' && it.abo == 'O' && it.rhd == 'POS' }.openReplenishmentId");
        await("the replenishment order is allocated", Duration.ofSeconds(30), () -> {
            var order = as(dispatcher).get("/orders/" + requestId);
            return order.statusCode() == 200 && "ALLOCATED".equals(order.path("status"));
        });
        List<String> bags = as(operator).get("/orders/" + requestId).then().statusCode(200)
                .body("locationId", equalTo("SP01")).body("priority", equalTo("ROUTINE"))
                .extract().path("lines[0].units.din");
        assertEquals(stationBags, bags, "the two bags released for it, first expiry first");

        as(dispatcher).post("/orders/" + requestId + "/dispatch").then().statusCode(201);
        as(operator).body("""
                        {"units":[{"din":"%s","component":"RBC_LR","accepted":true},
                                  {"din":"%s","component":"RBC_LR","accepted":true}]}""".formatted(bags.get(0), bags.get(1)))
                .post("/orders/" + requestId + "/receipt").then().statusCode(200).body("status", equalTo("RECEIVED"));
        await("the point holds the bags in its fridge, and the request is closed", Duration.ofSeconds(15), () -> {
            Map<String, Object> par = as(operator).get("/storage-points/SP01").then().statusCode(200).extract()
                    .path("parLevels.find { it.component == 'RBC_LR' && it.abo == 'O' && it.rhd == 'POS' }");
            return Integer.valueOf(2).equals(par.get("stock")) && par.get("openReplenishmentId") == null;
        });
        for (String din : bags) {
            as(dispatcher).get("/units/" + din + "/RBC_LR").then().body("locationId", equalTo("SP01"))
                    .body("status", equalTo("AVAILABLE")).body("equipmentId", equalTo("SP01-F1"));
        }

        // 11.5 °C in a 2-6 °C fridge: beyond the hard limit, an excursion at once
        Instant at = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        List<String> excursions = as(operator).body("{\"readings\":[{\"equipmentId\":\"SP01-F1\",\"at\":\"%s\",\"celsius\":11.5}]}"
                        .formatted(at)).post("/storage-points/SP01/temperature-readings").then().statusCode(202)
                .extract().path("excursions");
        assertFalse(excursions.isEmpty());
        await("the ledger quarantines the fridge's units", Duration.ofSeconds(15), () -> bags.stream().allMatch(din ->
                "QUARANTINED".equals(as(dispatcher).get("/units/" + din + "/RBC_LR").then().extract().path("status"))));

        String decision = """
                {"units":[{"din":"%s","component":"RBC_LR"},{"din":"%s","component":"RBC_LR"}],"decision":"RELEASE"}"""
                .formatted(bags.get(0), bags.get(1));
        as(operator).body(decision).post("/storage-points/SP01/quarantine-decisions").then().statusCode(403);
        as(dispatcher).body(decision).post("/storage-points/SP01/quarantine-decisions").then().statusCode(201);
        await("QA's release makes them available again", Duration.ofSeconds(15), () -> bags.stream().allMatch(din ->
                "AVAILABLE".equals(as(dispatcher).get("/units/" + din + "/RBC_LR").then().extract().path("status"))));
        // the fridge is back in range: the excursion ends
        as(operator).body("{\"readings\":[{\"equipmentId\":\"SP01-F1\",\"at\":\"%s\",\"celsius\":4.2}]}"
                .formatted(at.plusSeconds(30))).post("/storage-points/SP01/temperature-readings").then().statusCode(202);
        as(operator).get("/storage-points/SP01/excursions").then().statusCode(200)
                .body("items.find { it.id == '" + excursions.get(0) + "' }.endedAt", notNullValue());
    }
}
