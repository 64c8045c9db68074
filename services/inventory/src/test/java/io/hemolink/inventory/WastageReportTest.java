package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.EventType;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.events.order.OrderDispatched;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderReceived;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.config.InventoryConfig;
import io.hemolink.inventory.domain.ExpirySweep;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitMovement;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wastage report against a count made independently, in Java, from every unit's history: bags issued to two
 * hospitals over the real order events (receipts dated in three months), discards with reason codes at the hospitals
 * and the station, an expiry by the sweep; then every row of the finest grouping, the coarser groupings, the totals,
 * a hospital's view, CSV and bad input.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class WastageReportTest {

    private static final String FROM = "2026-01-01";

    @Inject
    ObjectMapper mapper;

    @Inject
    ExpirySweep sweep;

    @Inject
    InventoryConfig config;

    @Test
    void theReportEqualsACountFromTheUnitsHistories() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant twoMonthsAgo = now.minus(61, ChronoUnit.DAYS);
        Instant lastMonth = now.minus(31, ChronoUnit.DAYS);
        // issues: H001 gets 3 RBC_LR O POS and 2 FFP A NEG, H002 gets 2 RBC_LR O POS, receipts in three months
        List<String> h001Red = issue("H001", Component.CRYO, Abo.B, RhD.NEG, 3, twoMonthsAgo);
        List<String> h001Plasma = issue("H001", Component.FFP_VI, Abo.B, RhD.POS, 2, lastMonth);
        List<String> h002Red = issue("H002", Component.RBC, Abo.AB, RhD.POS, 2, now.minus(1, ChronoUnit.HOURS));
        // wastes: two reasons at H001, one at H002, one at the station, one expiry
        discard(TestTokens.hospital("H001"), h001Red.get(0), "CRYO", "BROKEN", lastMonth.plus(1, ChronoUnit.DAYS));
        discard(TestTokens.hospital("H001"), h001Plasma.get(0), "FFP_VI", "TEMPERATURE", now.minus(2, ChronoUnit.HOURS));
        discard(TestTokens.his("H002"), h002Red.get(0), "RBC", "NOT_USED", now.minus(30, ChronoUnit.MINUTES));
        String atStation = newDin();
        release(unitJson(atStation, "PLT_AP", "B", "POS", 1, now.minus(1, ChronoUnit.DAYS).toString())).statusCode(201);
        discard(TestTokens.dispatcher(), atStation, "PLT_AP", "POSITIVE_TEST", now.minus(5, ChronoUnit.MINUTES));
        String expiring = newDin();
        release(unitJson(expiring, "RBC_W", "AB", "NEG", 1, now.minus(1, ChronoUnit.DAYS).toString())
                .replace("}", ",\"expiresAt\":\"" + Instant.now().plusSeconds(2) + "\"}")).statusCode(201);
        Thread.sleep(2500);
        sweep.sweep(Instant.now());

        String to = Instant.now().toString();
        Map<String, long[]> expected = independentCount(LocalDate.parse(FROM).atStartOfDay(config.zone()).toInstant(),
                Instant.parse(to));
        assertTrue(expected.size() >= 6, "the count sees this test's activity: " + expected.keySet());

        // the finest grouping: every row equals the independent count, and nothing is missing
        JsonPath fine = report(TestTokens.dispatcher(), "from=" + FROM + "&to=" + to + "&by=location,component,abo,month,reason");
        Map<String, long[]> wastedByFine = new TreeMap<>();
        expected.forEach((k, v) -> {
            if (v[1] > 0) {
                wastedByFine.put(k, v);
            }
        });
        List<Map<String, Object>> rows = fine.getList("rows");
        assertEquals(wastedByFine.size(), rows.size(), "one row per key and reason with waste: " + rows);
        for (Map<String, Object> row : rows) {
            String key = row.get("locationId") + "|" + row.get("component") + "|" + row.get("abo") + "|" + row.get("month")
                    + "|" + row.get("reason");
            long[] counted = wastedByFine.get(key);
            assertTrue(counted != null, "no such waste in the histories: " + key);
            assertEquals(counted[1], ((Number) row.get("wasted")).longValue(), key);
            long issuedOfKey = issuedOf(expected, key.substring(0, key.lastIndexOf('|')));
            assertEquals(issuedOfKey, ((Number) row.get("issued")).longValue(), key + " keeps its key's issued");
        }

        // by location: issued and wasted per location, the rate, and the region's totals
        JsonPath byLocation = report(TestTokens.dispatcher(), "from=" + FROM + "&to=" + to + "&by=location");
        Map<String, long[]> perLocation = new TreeMap<>();
        long issued = 0;
        long wasted = 0;
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] sums = perLocation.computeIfAbsent(e.getKey().split("\\|")[0], k -> new long[2]);
            sums[0] += e.getValue()[0];
            sums[1] += e.getValue()[1];
            issued += e.getValue()[0];
            wasted += e.getValue()[1];
        }
        List<Map<String, Object>> locationRows = byLocation.getList("rows");
        assertEquals(perLocation.size(), locationRows.size(), locationRows.toString());
        for (Map<String, Object> row : locationRows) {
            long[] sums = perLocation.get((String) row.get("locationId"));
            assertEquals(sums[0], ((Number) row.get("issued")).longValue(), row.toString());
            assertEquals(sums[1], ((Number) row.get("wasted")).longValue(), row.toString());
            if (sums[0] == 0) {
                assertEquals(null, row.get("wastageRate"), "no rate without issues: " + row);
            } else {
                assertEquals(Math.round(10000.0 * sums[1] / sums[0]) / 10000.0,
                        ((Number) row.get("wastageRate")).doubleValue(), 1e-6, row.toString());
            }
            assertTrue(!row.containsKey("component") && !row.containsKey("month"), "only the keys asked for: " + row);
        }
        assertEquals(issued, byLocation.getLong("totals.issued"));
        assertEquals(wasted, byLocation.getLong("totals.wasted"));

        // a hospital sees its own rows and the region's totals
        JsonPath h001 = report(TestTokens.hospital("H001"), "from=" + FROM + "&to=" + to + "&by=location,reason");
        List<String> seen = h001.getList("rows.locationId");
        assertTrue(!seen.isEmpty() && seen.stream().allMatch("H001"::equals), seen.toString());
        assertEquals(issued, h001.getLong("totals.issued"));
        assertEquals(wasted, h001.getLong("totals.wasted"));

        // the same rows as CSV
        String csv = given().auth().oauth2(TestTokens.dispatcher()).accept("text/csv")
                .get("/api/v1/reports/wastage?from=" + FROM + "&to=" + to + "&by=location").then().statusCode(200)
                .header("Content-Type", startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals("locationId,issued,wasted,wastageRate", lines[0]);
        assertEquals(perLocation.size() + 1, lines.length, csv);
        long[] h001Sums = perLocation.get("H001");
        assertTrue(csv.contains("\r\nH001," + h001Sums[0] + "," + h001Sums[1] + ","), csv);
    }

    @Test
    void badQueriesAreRefusedWithStableCodes() {
        String base = "/api/v1/reports/wastage?";
        given().auth().oauth2(TestTokens.dispatcher()).get(base + "by=location,colour").then().statusCode(422)
                .body("code", equalTo("BY_KEY_UNKNOWN"));
        given().auth().oauth2(TestTokens.dispatcher()).get(base + "by=location,").then().statusCode(422)
                .body("code", equalTo("BY_KEY_UNKNOWN"));
        given().auth().oauth2(TestTokens.dispatcher()).get(base + "from=2026-05-01&to=2026-04-01").then().statusCode(422)
                .body("code", equalTo("RANGE_INVALID"));
        given().auth().oauth2(TestTokens.dispatcher()).get(base + "from=last-week").then().statusCode(422)
                .body("code", equalTo("INVALID_VALUE"));
        given().auth().oauth2(TestTokens.dispatcher()).get(base + "from=2020-01-01&to=2026-01-01").then().statusCode(422)
                .body("code", equalTo("RANGE_TOO_LONG"));
    }

    /**
     * Issued and wasted per location|component|abo|month|reason (reason "null" for issues), counted from every unit's
     * history in Java: a receipt at a hospital or storage point is an issue there, a discard or expiry a waste where
     * the unit was.
     */
    private Map<String, long[]> independentCount(Instant from, Instant to) {
        Map<String, long[]> counts = new HashMap<>();
        DateTimeFormatter month = DateTimeFormatter.ofPattern("yyyy-MM").withZone(config.zone());
        QuarkusTransaction.requiringNew().run(() -> {
            for (Unit unit : Unit.<Unit>listAll()) {
                for (UnitMovement m : UnitMovement.history(unit.id)) {
                    if (m.occurredAt.isBefore(from) || !m.occurredAt.isBefore(to)) {
                        continue;
                    }
                    boolean issue = m.type == MovementType.RECEIVED_AT_HOSPITAL;
                    boolean waste = m.type == MovementType.DISCARDED || m.type == MovementType.EXPIRED;
                    if (!issue && !waste) {
                        continue;
                    }
                    String key = (issue ? m.toLocationId : m.fromLocationId) + "|" + unit.component + "|" + unit.abo + "|"
                            + month.format(m.occurredAt) + "|" + (issue ? null : m.reasonCode);
                    counts.computeIfAbsent(key, k -> new long[2])[issue ? 0 : 1]++;
                }
            }
        });
        return counts;
    }

    private static long issuedOf(Map<String, long[]> counts, String keyWithoutReason) {
        long[] issued = counts.get(keyWithoutReason + "|null");
        return issued == null ? 0 : issued[0];
    }

    private static JsonPath report(String token, String query) {
        return given().auth().oauth2(token).get("/api/v1/reports/wastage?" + query).then().statusCode(200)
                .extract().jsonPath();
    }

    private static void discard(String token, String din, String component, String code, Instant at) {
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"type\":\"DISCARDED\",\"reasonCode\":\"" + code + "\",\"occurredAt\":\"" + at + "\"}")
                .post("/api/v1/units/" + din + "/" + component + "/events").then().statusCode(201)
                .body("history[-1].reasonCode", equalTo(code));
    }

    /** Releases {@code bags} bags at the station, orders them for {@code hospital}, dispatches and receives them. */
    private List<String> issue(String hospital, Component c, Abo abo, RhD rhd, int bags, Instant receivedAt) throws Exception {
        for (int i = 0; i < bags; i++) {
            release(unitJson(newDin(), c.name(), abo.name(), rhd.name(), c.name().startsWith("F") ? 200 : 1,
                    Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())).statusCode(201);
        }
        Instant now = Instant.now();
        int quantity = c.name().startsWith("F") ? 200 * bags : bags;
        OrderSubmitted order = new OrderSubmitted("ORD-" + UUID.randomUUID(), hospital, Priority.URGENT, null,
                now.plus(Duration.ofHours(4)), false, List.of(new OrderLine(1, c, abo, rhd, quantity, false, false, false,
                List.of())), now, "hospital");
        event(Events.ORDER_SUBMITTED, order.orderId(), order);
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(Topics.ALLOCATIONS,
                r -> order.orderId().equals(r.key()), 1, Duration.ofSeconds(20));
        AllocationMade made = mapper.readValue(records.get(records.size() - 1).value(), AllocationMade.class);
        List<String> dins = new ArrayList<>();
        for (UnitRef u : made.lines().get(0).units()) {
            dins.add(u.din());
        }
        assertTrue(!dins.isEmpty(), "allocated " + made);
        event(Events.ORDER_DISPATCHED, order.orderId(), new OrderDispatched(order.orderId(), hospital, "CK-W" + dins.size(),
                dins.stream().map(d -> new OrderDispatched.UnitKey(d, c.name())).toList(), "dispatcher", receivedAt.minusSeconds(3600)));
        event(Events.ORDER_RECEIVED, order.orderId(), new OrderReceived(order.orderId(), hospital,
                dins.stream().map(d -> new OrderReceived.Receipt(d, c.name(), true, null)).toList(), "hospital", receivedAt));
        for (String din : dins) {
            awaitAt(din, c.name(), hospital);
        }
        return dins;
    }

    private void awaitAt(String din, String component, String location) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath u = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/" + component)
                    .then().extract().jsonPath();
            if ("AVAILABLE".equals(u.getString("status")) && location.equals(u.getString("locationId"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(din + " never reached " + location);
    }

    private <T> void event(EventType<T> type, String key, T payload) throws Exception {
        KafkaProbe.send(type.topic(), key, mapper.writeValueAsString(payload), CloudEventHeaders.ID,
                UUID.randomUUID().toString(), CloudEventHeaders.TYPE, type.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0");
    }
}
