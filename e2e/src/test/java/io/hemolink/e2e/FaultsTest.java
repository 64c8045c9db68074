package io.hemolink.e2e;

import io.hemolink.infra.DemoData;
import io.hemolink.infra.LocalStack;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hemolink.e2e.Api.as;
import static io.hemolink.e2e.Api.await;
import static io.hemolink.e2e.Api.release;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults in the middle of a run of orders from two hospitals: the inventory service and then the Kafka broker killed
 * (SIGKILL) and restarted; the gateway; Keycloak; PostgreSQL; the services cut off their databases for a few
 * seconds; and the inventory alone cut off its database while orders keep being accepted. After each, every order is allocated exactly once (one ALLOCATED in its history), no bag is given to two
 * orders, the bags are exactly those released for the run, nothing waits in SUBMITTED and the stock reconciles. Each
 * fault prints its figures and runs alone too: {@code ./mvnw -pl deploy/infra,e2e verify -Dtest=FaultsTest#postgresKilled}
 * (docs/operations.md). Each uses a blood group of its own (RhD-negative, older than anything else in the suite's
 * stock), so one fault's leftovers never meet the next one's orders.
 */
@ExtendWith(Platform.class)
@Order(Integer.MAX_VALUE) // last: the other scenarios need not wait for a recovering platform
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsTest {

    /** Orders per hospital in each run (two hospitals). */
    static final int PER_HOSPITAL = 6;
    /** The fault comes once this many orders of the run are placed. */
    static final int BEFORE_FAULT = 4;
    static final Duration DRAIN = Duration.ofSeconds(90);

    static final int ORDERS = 18;

    /** The inventory service killed (SIGKILL) and restarted while orders keep coming, then the Kafka broker. */
    @Test
    @Order(1)
    void inventoryAndKafkaKilled() throws Exception {
        LocalStack stack = Platform.stack();
        String dispatcher = Platform.token("dispatcher");
        new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(dispatcher);
        Map<String, String> hospitals = Map.of("H001", Platform.token("hospital-a"), "H002", Platform.token("hospital-b"));
        Set<String> stock = new HashSet<>();
        for (int i = 0; i < ORDERS; i++) {
            stock.add(release(dispatcher, "RBC", "A", "NEG", 1, 200, 10, "STATION"));
        }

        List<String> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            if (i == ORDERS / 3) {
                stack.killService("inventory");
            }
            if (i == 2 * ORDERS / 3) {
                stack.restartService("inventory");
                stack.killKafka();
            }
            String location = i % 2 == 0 ? "H001" : "H002";
            orders.add(as(hospitals.get(location)).header("Idempotency-Key", "faults-" + i)
                    .body("""
                            {"locationId":"%s","priority":"URGENT",
                             "lines":[{"component":"RBC","abo":"A","rhd":"NEG","quantity":1}]}""".formatted(location))
                    .post("/orders").then().statusCode(201).extract().path("id"));
        }
        stack.restartKafka();

        await("every order allocated", Duration.ofSeconds(180), () -> orders.stream().allMatch(id ->
                "ALLOCATED".equals(as(dispatcher).get("/orders/" + id).then().extract().path("status"))));

        Set<String> given = new HashSet<>();
        for (String id : orders) {
            var order = as(dispatcher).get("/orders/" + id).then().statusCode(200).extract();
            List<String> bags = order.path("lines[0].units.din");
            assertEquals(1, bags.size(), "one bag for order " + id);
            assertTrue(given.add(bags.get(0)), "bag " + bags.get(0) + " given twice");
            List<String> statuses = order.path("history.status");
            assertEquals(1, statuses.stream().filter("ALLOCATED"::equals).count(),
                    "allocated once, however often its events were delivered: " + statuses);
            as(dispatcher).get("/units/" + bags.get(0) + "/RBC").then().body("status", equalTo("RESERVED"))
                    .body("orderId", equalTo(id));
        }
        assertEquals(stock, given, "exactly the released bags, each once");
    }

    /** The gateway killed (SIGKILL) and restarted: HIS placements meet refused connections and are sent again. */
    @Test
    @Order(2)
    void gatewayKilled() throws Exception {
        LocalStack stack = Platform.stack();
        new Scenario("gatewayKilled", "RBC", "B") {
            @Override
            void breakIt(OrderRun run) {
                stack.killService("gateway");
            }

            @Override
            void whileBroken(OrderRun run, Instant broken) {
                run.awaitFailureAfter(broken, Duration.ofSeconds(20));
            }

            @Override
            void repair() throws IOException {
                stack.restartService("gateway");
            }
        }.run();
    }

    /**
     * Keycloak killed (SIGKILL) and restarted. Just before, the realm gets a new signing key (as a rotation would), so
     * there are two kinds of valid token: those signed with the old key, which the gateway and services hold, and one
     * signed with the new key, which they can only check by fetching it from Keycloak. During the outage the old
     * tokens keep working through the gateway (the run's orders go on), a new login fails at Keycloak itself, and the
     * new-key token is 503 problem+json AUTH_UNAVAILABLE with Retry-After (not 401: the token is valid, it just
     * cannot be checked now). After the restart the new-key token works and logins do.
     */
    @Test
    @Order(3)
    void keycloakKilled() throws Exception {
        LocalStack stack = Platform.stack();
        String oldKeyToken = Platform.token("dispatcher");
        String[] newKeyToken = new String[1];
        Map<String, String> figures = new LinkedHashMap<>();
        Map<String, Integer> retries = new Scenario("keycloakKilled", "RBC", "AB") {
            @Override
            String probeToken() {
                return oldKeyToken;
            }

            @Override
            void prepare() {
                // after the run's own tokens are issued: they are old-key tokens, and nothing uses the new key yet
                rotateRealmKey();
                newKeyToken[0] = Platform.token("dispatcher");
                assertNotEquals(kid(oldKeyToken), kid(newKeyToken[0]), "the new login is signed with the new key");
            }

            @Override
            void breakIt(OrderRun run) {
                stack.killKeycloak();
            }

            @Override
            void whileBroken(OrderRun run, Instant broken) {
                as(oldKeyToken).get("/orders?limit=1").then().statusCode(200);
                assertThrows(IllegalStateException.class, () -> Platform.token("hospital-a"),
                        "a new login needs Keycloak itself");
                ExtractableResponse<Response> refused = as(newKeyToken[0]).get("/orders?limit=1").then().extract();
                assertEquals(503, refused.statusCode(), "a valid token whose key is not cached: " + refused.asString());
                assertEquals("AUTH_UNAVAILABLE", refused.path("code"), refused.asString());
                assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
                assertNotNull(refused.header("Retry-After"), "503 says when to retry");
                // the run's orders (old-key tokens) keep being placed while Keycloak is down
                int placed = run.ids().size();
                run.awaitPlaced(Math.min(run.total(), placed + 2), Duration.ofSeconds(30));
            }

            @Override
            void repair() throws IOException {
                stack.restartKeycloak();
            }

            @Override
            void afterRepair(Instant repairStarted) {
                Api.await("the new-key token accepted after the restart", Duration.ofSeconds(60),
                        () -> as(newKeyToken[0]).get("/orders?limit=1").then().extract().statusCode() == 200);
                figures.put("new-key token accepted", seconds(repairStarted, Instant.now()));
                Api.await("a new login after the restart", Duration.ofSeconds(30), () -> {
                    try {
                        Platform.token("hospital-b");
                        return true;
                    } catch (IllegalStateException notYet) {
                        return false;
                    }
                });
                figures.put("first new login", seconds(repairStarted, Instant.now()));
            }

            @Override
            Map<String, String> extraFigures() {
                return figures;
            }
        }.run();
        assertEquals(Map.of(), retries, "a valid token keeps working through an outage of Keycloak: no placement refused");
    }

    /** PostgreSQL killed (SIGKILL to the postmaster and its backends) and restarted on its data. */
    @Test
    @Order(4)
    void postgresKilled() throws Exception {
        LocalStack stack = Platform.stack();
        new Scenario("postgresKilled", "RBC", "O") {
            @Override
            void breakIt(OrderRun run) throws IOException {
                stack.killPostgres();
            }

            @Override
            void whileBroken(OrderRun run, Instant broken) {
                run.awaitFailureAfter(broken, Duration.ofSeconds(30));
                holdAtLeast(broken, Duration.ofSeconds(3));
            }

            @Override
            void repair() throws IOException {
                stack.restartPostgres();
            }
        }.run();
    }

    /**
     * The services cut off their databases for about 5 s: every connection terminated and new ones refused
     * (ALLOW_CONNECTIONS false), as a network cut between them would; then allowed again.
     */
    @Test
    @Order(5)
    void databaseConnectionsCut() throws Exception {
        LocalStack stack = Platform.stack();
        new Scenario("databaseConnectionsCut", "RBC_LR", "A") {
            @Override
            void breakIt(OrderRun run) {
                stack.cutDatabaseConnections();
            }

            @Override
            void whileBroken(OrderRun run, Instant broken) {
                run.awaitFailureAfter(broken, Duration.ofSeconds(30));
                holdAtLeast(broken, Duration.ofSeconds(5));
            }

            @Override
            void repair() {
                stack.restoreDatabaseConnections();
            }
        }.run();
    }

    /**
     * Only the inventory cut off its database for about 5 s while the order service keeps its own: orders are still
     * accepted, so their events reach the inventory's consumer while it cannot write. They must be allocated once the
     * database is back (the consumer has to wait and retry, not give the event up).
     */
    @Test
    @Order(6)
    void inventoryDatabaseCut() throws Exception {
        LocalStack stack = Platform.stack();
        new Scenario("inventoryDatabaseCut", "RBC_LR", "AB") {
            @Override
            void breakIt(OrderRun run) {
                stack.cutDatabaseConnections("inventory");
            }

            @Override
            void whileBroken(OrderRun run, Instant broken) {
                // orders go on being accepted (the order service has its database): their events meet the cut
                run.awaitPlaced(Math.min(run.total(), run.ids().size() + 3), Duration.ofSeconds(30));
                holdAtLeast(broken, Duration.ofSeconds(5));
            }

            @Override
            void repair() {
                stack.restoreDatabaseConnections();
            }
        }.run();
    }

    /**
     * Two of each service (api.md, "Running more than one of each"; ADR 0035, 0036): the second instance of every
     * service is started; the order service's scheduled check (every 5 s here) is seen to run once per period in the
     * cluster, not once per instance; then one inventory and one order instance are killed (SIGKILL) in the middle of
     * the run while the others carry on. Afterwards the second storage-point and fee-waiver instances are stopped, so
     * the scenarios after this one find the platform as it was.
     */
    @Test
    @Order(7)
    void replicasKilled() throws Exception {
        LocalStack stack = Platform.stack();
        Map<String, String> figures = new LinkedHashMap<>();
        new Scenario("replicasKilled", "RBC_LR", "AB") {
            @Override
            void prepare() {
                Instant t0 = Instant.now();
                List<String> services = List.of("inventory", "order", "storage-point", "fee-waiver");
                services.parallelStream().forEach(service -> {
                    try {
                        stack.startReplica(service, 2);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                figures.put("second instances ready", seconds(t0, Instant.now()));
                // both order instances fire the 5 s check; the cluster runs it once per period
                Map<String, double[]> before = jobCounts("service-levels", 8082, 9082);
                holdAtLeast(Instant.now(), Duration.ofSeconds(20));
                Map<String, double[]> after = jobCounts("service-levels", 8082, 9082);
                double runs = 0;
                double fired = 0;
                for (String instance : before.keySet()) {
                    runs += after.get(instance)[0] - before.get(instance)[0];
                    fired += after.get(instance)[0] + after.get(instance)[1] - before.get(instance)[0] - before.get(instance)[1];
                    assertTrue(after.get(instance)[0] + after.get(instance)[1] > before.get(instance)[0] + before.get(instance)[1],
                            "instance " + instance + " fired the check");
                }
                figures.put("service-level check in 20 s", "fired " + (int) fired + " times, ran " + (int) runs);
                assertTrue(runs >= 2 && runs <= 5, "once per 5 s period in the cluster (" + runs + " runs, fired "
                        + fired + " times by two instances)");
            }

            @Override
            void breakIt(OrderRun run) {
                stack.killService("inventory-2");
                stack.killService("order-2");
            }

            @Override
            void whileBroken(OrderRun run, Instant broken) {
                // the other instances carry on: orders keep being placed while the killed ones are gone
                run.awaitPlaced(BEFORE_FAULT + 3, Duration.ofSeconds(60));
                holdAtLeast(broken, Duration.ofSeconds(5));
            }

            @Override
            void repair() {
                // nothing to repair: one instance of each is left; the spare second instances go too
                stack.stopService("storage-point-2");
                stack.stopService("fee-waiver-2");
            }

            @Override
            Map<String, String> extraFigures() {
                return figures;
            }
        }.run();
    }

    /** Per instance port: the job's runs and skips so far ({@code hemolink_cluster_jobs_*_total}). */
    static Map<String, double[]> jobCounts(String job, int... ports) {
        Map<String, double[]> counts = new LinkedHashMap<>();
        for (int port : ports) {
            String metrics = io.restassured.RestAssured.given().baseUri("http://localhost:" + port).get("/q/metrics")
                    .then().statusCode(200).extract().asString();
            counts.put(String.valueOf(port), new double[]{metric(metrics, "hemolink_cluster_jobs_runs_total", job),
                    metric(metrics, "hemolink_cluster_jobs_skipped_total", job)});
        }
        return counts;
    }

    private static double metric(String metrics, String name, String job) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("job=\"" + job + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /**
     * One fault in the middle of a run of orders: stock released for the run's own group, the run started, the fault
     * once {@value #BEFORE_FAULT} orders are placed, the repair, then the figures and the checks.
     */
    abstract static class Scenario {
        final String name;
        final String component;
        final String abo;

        Scenario(String name, String component, String abo) {
            this.name = name;
            this.component = component;
            this.abo = abo;
        }

        abstract void breakIt(OrderRun run) throws Exception;

        /** While broken: wait until the fault is felt (and last long enough). */
        abstract void whileBroken(OrderRun run, Instant broken) throws Exception;

        abstract void repair() throws Exception;

        void afterRepair(Instant repairStarted) throws Exception {
        }

        /** Just before the run starts (its tokens issued, its stock released). */
        void prepare() {
        }

        /** The token of the calls that show the platform answering again (the dispatcher's). */
        String probeToken() {
            return Platform.token("dispatcher");
        }

        Map<String, String> extraFigures() {
            return Map.of();
        }

        /** Runs the scenario; returns the placements sent again, by what they met. */
        Map<String, Integer> run() throws Exception {
            String dispatcher = Platform.token("dispatcher");
            new DemoData(Platform.API, Platform.TOKEN_URL).registerLocations(dispatcher);
            Map<String, String> hospitals = Map.of("H001", Platform.token("hospital-a"), "H002", Platform.token("hospital-b"));
            Set<String> released = new HashSet<>();
            for (int i = 0; i < PER_HOSPITAL * hospitals.size(); i++) {
                released.add(release(dispatcher, component, abo, "NEG", 1, 200, 10, "STATION"));
            }
            String probe = probeToken();
            prepare();
            String line = """
                    "component":"%s","abo":"%s","rhd":"NEG","quantity":1""".formatted(component, abo);
            Instant repairStarted;
            Instant repaired;
            Instant answering;
            try (OrderRun run = new OrderRun(name, hospitals, PER_HOSPITAL, line, Duration.ofMillis(300),
                    Duration.ofSeconds(150)).start()) {
                run.awaitPlaced(BEFORE_FAULT, Duration.ofSeconds(60));
                Instant broken = Instant.now();
                try {
                    breakIt(run);
                    whileBroken(run, broken);
                } finally {
                    // repaired even when a check during the outage failed: the next scenario gets a whole platform
                    repairStarted = Instant.now();
                    repair();
                    repaired = Instant.now();
                }
                Api.await(name + ": the platform answers again", Duration.ofSeconds(120), () -> answers(probe));
                answering = Instant.now();
                afterRepair(repairStarted);
                run.awaitAllPlaced(Duration.ofSeconds(150));

                Instant drained = null;
                AssertionError notDrained = null;
                try {
                    Api.await(name + ": every order allocated", DRAIN, () -> run.ids().stream().allMatch(id ->
                            "ALLOCATED".equals(as(dispatcher).get("/orders/" + id).then().extract().path("status"))));
                    drained = Instant.now();
                } catch (AssertionError e) {
                    notDrained = e;
                }
                Map<String, String> figures = new LinkedHashMap<>();
                figures.put("orders placed", run.ids().size() + "/" + run.total());
                figures.put("orders allocated", Long.toString(run.ids().stream().filter(id ->
                        "ALLOCATED".equals(as(dispatcher).get("/orders/" + id).then().extract().path("status"))).count()));
                figures.put("placements sent again", run.retries().toString());
                figures.put("restart took", seconds(repairStarted, repaired));
                figures.put("first successful call", seconds(repairStarted, answering)
                        + " after the restart began (first order placed after it: "
                        + run.firstSuccessAfter(repairStarted).map(t -> seconds(repairStarted, t)).orElse("none") + ")");
                figures.putAll(extraFigures());
                figures.put("drained", drained == null ? "NOT within " + DRAIN.toSeconds() + " s"
                        : seconds(repairStarted, drained) + " after the restart began");
                System.out.println("[faults] " + name + ": " + figures);
                if (notDrained != null) {
                    StringBuilder stuck = new StringBuilder();
                    for (String id : run.ids()) {
                        var o = as(dispatcher).get("/orders/" + id).then().extract();
                        if (!"ALLOCATED".equals(o.path("status"))) {
                            stuck.append("\n  order ").append(id).append(" of ").append(o.<String>path("locationId"))
                                    .append(": ").append(o.<String>path("status")).append(", history ")
                                    .append(o.<Object>path("history.status"));
                        }
                    }
                    throw new AssertionError(name + ": not every order allocated within " + DRAIN.toSeconds()
                            + " s of the restart:" + stuck, notDrained);
                }
                assertTrue(run.errors().isEmpty(), "every order placed: " + run.errors());
                checkAllocatedOnce(dispatcher, run.ids(), released);
                checkReconciled(dispatcher);
                return run.retries();
            }
        }
    }

    /** Each order allocated once (one ALLOCATED in its history), one bag each, no bag twice, exactly the released ones. */
    static void checkAllocatedOnce(String dispatcher, List<String> orders, Set<String> released) {
        Set<String> given = new HashSet<>();
        for (String id : orders) {
            var order = as(dispatcher).get("/orders/" + id).then().statusCode(200).extract();
            assertEquals("ALLOCATED", order.path("status"), "order " + id);
            List<String> bags = order.path("lines[0].units.din");
            assertEquals(1, bags.size(), "one bag for order " + id);
            assertTrue(given.add(bags.get(0)), "bag " + bags.get(0) + " given twice");
            List<String> statuses = order.path("history.status");
            assertEquals(1, statuses.stream().filter("ALLOCATED"::equals).count(),
                    "allocated once, however often its events were delivered: " + statuses);
            as(dispatcher).get("/units/" + bags.get(0) + "/" + order.path("lines[0].component")).then()
                    .body("status", equalTo("RESERVED")).body("orderId", equalTo(id));
        }
        assertEquals(released, given, "exactly the released bags, each once");
    }

    static void checkReconciled(String dispatcher) {
        var report = as(dispatcher).get("/stock/reconciliation").then().statusCode(200).extract();
        assertEquals(Boolean.TRUE, report.path("consistent"), "the stock reconciles: " + report.asString());
    }

    /** True when both the order service's and the inventory's reads answer 200 through the gateway. */
    static boolean answers(String token) {
        try {
            return as(token).get("/orders?limit=1").then().extract().statusCode() == 200
                    && as(token).get("/stock/balance").then().extract().statusCode() == 200;
        } catch (RuntimeException connectionRefused) {
            return false;
        }
    }

    /** An outage lasts at least {@code d} from {@code since} (the fault's length, not a wait for a result). */
    static void holdAtLeast(Instant since, Duration d) {
        long left = Duration.between(Instant.now(), since.plus(d)).toMillis();
        if (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String seconds(Instant from, Instant to) {
        return String.format(java.util.Locale.ROOT, "%.1f s", Duration.between(from, to).toMillis() / 1000.0);
    }

    /** The signing key id in a token's header. */
    static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))), StandardCharsets.UTF_8);
        return io.restassured.path.json.JsonPath.from(header).getString("kid");
    }

    /**
     * Gives the realm a new RS256 signing key of higher priority than its current one (Keycloak's admin API, as the
     * station's administrator would rotate keys): new tokens are signed with it; old ones stay valid.
     */
    static void rotateRealmKey() {
        String base = "http://localhost:" + LocalStack.KEYCLOAK_PORT;
        String admin = RestAssured.given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", "admin")
                .post(base + "/realms/master/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
        String realmId = RestAssured.given().auth().oauth2(admin).get(base + "/admin/realms/hemolink")
                .then().statusCode(200).extract().path("id");
        RestAssured.given().auth().oauth2(admin).contentType("application/json").body("""
                        {"name":"rotated-%d","providerId":"rsa-generated","providerType":"org.keycloak.keys.KeyProvider",
                         "parentId":"%s","config":{"priority":["1000"],"algorithm":["RS256"],"active":["true"],
                         "enabled":["true"]}}""".formatted(System.currentTimeMillis(), realmId))
                .post(base + "/admin/realms/hemolink/components").then().statusCode(201);
    }
}
