package io.hemolink.inventory.bench;

import io.hemolink.contracts.isbt.Din;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small load generator for the stock read, run on demand ({@code -Dhemolink.bench=true}), against the module's test
 * instance (a free port, real PostgreSQL): stock of 20 keys is released, then {@code GET /stock} and
 * {@code GET /stock/balance} are called for {@code hemolink.bench.seconds} (default 10) from 4 threads with 7 callers
 * rotated (the station, hospitals, a HIS), and the rate and latency percentiles are logged. Tokens are verified by the
 * service on every call, as in production. The machine is shared, so the figures are indications, not a contract.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
@EnabledIfSystemProperty(named = "hemolink.bench", matches = "true")
class StockReadLoadTest {

    private static final Logger LOG = Logger.getLogger(StockReadLoadTest.class);
    private static final AtomicInteger SEQ = new AtomicInteger(500_000);

    @TestHTTPResource("/")
    URL base;

    @Test
    void stockReadRateAndLatency() throws Exception {
        String[] components = {"RBC", "RBC_LR", "PLT_AP", "FFP"};
        String[] abos = {"O", "A", "B", "AB"};
        String collected = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        for (int i = 0; i < 80; i++) {
            String c = components[i % components.length];
            String data = "G1299" + "26" + String.format("%06d", SEQ.incrementAndGet());
            String din = data + Din.checkCharacter(data);
            int quantity = c.equals("FFP") ? 200 : 1;
            given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                    .body("{\"din\":\"" + din + "\",\"component\":\"" + c + "\",\"abo\":\"" + abos[(i / 4) % 4]
                            + "\",\"rhd\":\"" + (i % 3 == 0 ? "NEG" : "POS") + "\",\"volumeMl\":"
                            + (c.equals("FFP") ? quantity : 200) + ",\"quantity\":" + quantity + ",\"collectedAt\":\""
                            + collected + "\"}")
                    .post("/api/v1/units").then().statusCode(201);
        }
        List<String> tokens = List.of(TestTokens.dispatcher(), TestTokens.hospital("H001"), TestTokens.hospital("H002"),
                TestTokens.hospital("H003"), TestTokens.his("H001"), TestTokens.his("H002"),
                TestTokens.token("qa", "STATION", "station-qa"));
        int seconds = Integer.getInteger("hemolink.bench.seconds", 10);
        for (String path : List.of("api/v1/stock", "api/v1/stock/balance")) {
            run(path, tokens, 2); // warm-up
            run(path, tokens, seconds);
        }
    }

    private void run(String path, List<String> tokens, int seconds) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(base.toString()).resolve(path);
        int threads = 4;
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> samples = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] micros = new long[2_000_000];
            samples.add(micros);
            int first = t;
            Thread w = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < end && n < micros.length - 1) {
                    String token = tokens.get((first + n) % tokens.size());
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    micros[++n] = (System.nanoTime() - t0) / 1000;
                }
                micros[0] = n;
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        int total = 0;
        for (long[] s : samples) {
            total += (int) s[0];
        }
        long[] all = new long[total];
        int k = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 1, all, k, (int) s[0]);
            k += (int) s[0];
        }
        Arrays.sort(all);
        long p50 = all[all.length / 2];
        long p99 = all[(int) Math.ceil(all.length * 0.99) - 1];
        LOG.infof("BENCH GET /%s: %d calls in %d s = %.0f req/s, p50 %d us, p99 %d us, %d errors (%d threads, %d callers)",
                path, total, seconds, total / (double) seconds, p50, p99, errors.get(), threads, tokens.size());
        assertEquals(0, errors.get(), "every call answered 200");
        assertTrue(total > 0);
    }
}
