package io.hemolink.inventory;

import io.hemolink.common.testing.SseProbe;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.hemolink.inventory.UnitsApiTest.yesterday;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /stock/stream}: a committed change reaches a subscriber (the delay is printed; the p99 target is a
 * benchmark's to show), and a subscriber sees only what it may see.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class StockStreamTest {

    @TestHTTPResource("/api/v1/stock/stream")
    URL stream;

    /** How an {@code alert} event's data is marked in the queue a subscriber collects. */
    private static final String ALERT = "alert ";

    @jakarta.inject.Inject
    io.hemolink.inventory.domain.SupplyAlerts supplyAlerts;

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    /** Subscribes and collects its events ({@code stock {...}}, {@code alert {...}}), once a warm-up one has come. */
    private BlockingQueue<String> subscribe(String token, String location) throws Exception {
        BlockingQueue<String> events = SseProbe.subscribe(stream.toString(), token);
        warmUp(events, location);
        return events;
    }

    /**
     * The live consumer reads from "latest" once its group has joined: release warm-up bags at {@code location} until
     * one shows on the stream, then start from an empty queue.
     */
    private static void warmUp(BlockingQueue<String> events, String location) throws InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            release(unitJson(newDin(), "FP", "AB", "POS", 100, yesterday()).replace("}", ",\"locationId\":\"" + location + "\"}"))
                    .statusCode(201);
            if (poll(events, "\"component\":\"FP\"", Duration.ofSeconds(2)) != null) {
                events.clear();
                return;
            }
        }
        throw new AssertionError("the stock stream never delivered a warm-up event");
    }

    @Test
    void aReleaseReachesTheStationSubscriber() throws Exception {
        BlockingQueue<String> events = subscribe(TestTokens.dispatcher(), "STATION");
        long t0 = System.nanoTime();
        release(unitJson(newDin(), "CRYO", "O", "NEG", 2, yesterday())).statusCode(201);
        String event = poll(events, "\"component\":\"CRYO\"", Duration.ofSeconds(5));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertNotNull(event, "no stock event");
        assertTrue(event.contains("\"locationId\":\"STATION\"") && event.contains("\"rhd\":\"NEG\""), event);
        System.out.printf("release committed -> SSE subscriber: %d ms (including the HTTP round trip of the release)%n", millis);
    }

    @Test
    void aHospitalSeesItsOwnStockChangesOnly() throws Exception {
        BlockingQueue<String> events = subscribe(TestTokens.hospital("H002"), "H002");
        release(unitJson(newDin(), "FP", "B", "NEG", 100, yesterday()).replace("}", ",\"locationId\":\"H001\"}")).statusCode(201);
        release(unitJson(newDin(), "FP", "B", "NEG", 100, yesterday()).replace("}", ",\"locationId\":\"H002\"}")).statusCode(201);
        String own = poll(events, "\"locationId\":\"H002\"", Duration.ofSeconds(5));
        assertNotNull(own, "H002 sees its own change");
        assertNull(poll(events, "\"locationId\":\"H001\"", Duration.ofMillis(500)), "H002 never sees H001's stock");
    }

    /**
     * api.md: the stream sends an {@code alert} event whenever an alert is raised, changes level or clears; a hospital
     * sees the region's alerts and its own, never another hospital's.
     */
    @Test
    void alertsRaisedAndClearedReachTheSubscribersThatMaySeeThem() throws Exception {
        BlockingQueue<String> station = subscribe(TestTokens.dispatcher(), "STATION");
        BlockingQueue<String> h002 = subscribe(TestTokens.hospital("H002"), "H002");
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        // H003 transfused 1,000 doses a day of PLT_AP B POS for four weeks: no stock is days of supply, RED at once,
        // for the region and for H003
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into daily_issue (location_id, component, abo, rhd, day, quantity)
                        values ('H003', 'PLT_AP', 'B', 'POS', ?1, 28000)
                        on conflict (location_id, component, abo, rhd, day) do update set quantity = 28000""")
                .setParameter(1, today).executeUpdate());
        io.hemolink.inventory.domain.SupplyAlerts.Alert cleared;
        try {
            var raised = supplyAlerts.evaluate(today).stream().filter(a -> a.component().name().equals("PLT_AP")
                    && a.abo().name().equals("B") && a.rhd().name().equals("POS") && a.clearedAt() == null).toList();
            long evaluated = System.nanoTime();
            var region = raised.stream().filter(a -> a.scope().equals("REGION")).findFirst().orElseThrow();
            var own = raised.stream().filter(a -> a.scope().equals("H003")).findFirst().orElseThrow();
            java.util.Map<String, String> seen = pollAll(station, List.of(ALERT + "{\"id\":\"" + region.id() + "\"",
                    ALERT + "{\"id\":\"" + own.id() + "\""), Duration.ofSeconds(5));
            System.out.printf("alert committed -> SSE subscriber: %d ms%n", (System.nanoTime() - evaluated) / 1_000_000);
            String regional = seen.get(ALERT + "{\"id\":\"" + region.id() + "\"");
            assertNotNull(regional, "the station sees the region's alert");
            assertTrue(regional.contains("\"level\":\"RED\"") && regional.contains("\"scope\":\"REGION\"")
                    && regional.contains("\"clearedAt\":null"), regional);
            // the region's alert carries the recruitment it asked for (ADR 0038); a hospital's own alert asks none
            assertTrue(regional.contains("\"recruitment\":{\"requestedAt\":") && regional.contains("\"unitsNeeded\":"
                    + region.recruitment().unitsNeeded()) && regional.contains("\"donationsSince\":0"), regional);
            assertNotNull(seen.get(ALERT + "{\"id\":\"" + own.id() + "\""), "and every hospital's");
            assertTrue(seen.get(ALERT + "{\"id\":\"" + own.id() + "\"").contains("\"recruitment\":null"));
            assertNotNull(poll(h002, ALERT + "{\"id\":\"" + region.id() + "\"", Duration.ofSeconds(5)),
                    "a hospital sees the region's alert");
            assertNull(poll(h002, own.id().toString(), Duration.ofMillis(500)), "never another hospital's");
            // one dose a day now, and three bags arrive at the station: GREEN, the alert clears and says what it was
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                            update daily_issue set quantity = 28 where location_id = 'H003' and component = 'PLT_AP'
                            and abo = 'B' and rhd = 'POS'""").executeUpdate());
            for (int i = 0; i < 3; i++) {
                release(unitJson(newDin(), "PLT_AP", "B", "POS", 1, yesterday())).statusCode(201);
            }
            cleared = supplyAlerts.evaluate(today).stream().filter(a -> a.id().equals(region.id()) && a.clearedAt() != null)
                    .findFirst().orElseThrow();
        } finally {
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "delete from daily_issue where location_id = 'H003' and component = 'PLT_AP' and abo = 'B' and rhd = 'POS'")
                    .executeUpdate());
        }
        String gone = poll(h002, ALERT + "{\"id\":\"" + cleared.id() + "\"", Duration.ofSeconds(5));
        assertNotNull(gone, "the clearing reaches the hospital");
        assertTrue(gone.contains("\"level\":\"RED\"") && !gone.contains("\"clearedAt\":null"), gone);
    }

    /** The first event containing each needle, waiting until all are seen or the time is up. */
    private static java.util.Map<String, String> pollAll(BlockingQueue<String> events, List<String> needles,
                                                         Duration timeout) throws InterruptedException {
        java.util.Map<String, String> found = new java.util.HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && found.size() < needles.size()) {
            String e = events.poll(50, TimeUnit.MILLISECONDS);
            for (String needle : needles) {
                if (e != null && e.contains(needle)) {
                    found.putIfAbsent(needle, e);
                }
            }
        }
        return found;
    }

    private static String poll(BlockingQueue<String> events, String contains, Duration timeout) throws InterruptedException {
        return SseProbe.poll(events, contains, timeout);
    }
}
