package io.hemolink.e2e;

import io.hemolink.infra.DemoData;
import io.hemolink.infra.KeycloakServer;
import io.hemolink.infra.LocalStack;
import io.restassured.RestAssured;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The whole platform, started once per test run exactly as {@code up.sh} starts it (on empty data in
 * {@code e2e/target/hemolink}), and stopped when the run ends. Tests reach it only through the gateway.
 */
public final class Platform implements BeforeAllCallback, AfterEachCallback {

    public static final String GATEWAY = "http://localhost:8080";
    public static final String API = GATEWAY + "/api/v1";
    public static final String TOKEN_URL = "http://localhost:" + LocalStack.KEYCLOAK_PORT + "/realms/"
            + KeycloakServer.REALM + "/protocol/openid-connect/token";

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    private static volatile LocalStack running;

    /**
     * The invariants after every scenario: the levels, the ledger and the reservations agree with the units (the
     * inventory's reconciliation: every bag in one place and state), and no order waits in SUBMITTED for more than a
     * minute (stuck between the order service and the inventory).
     */
    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            return; // the scenario's own failure says more
        }
        String dispatcher = token("dispatcher");
        var report = RestAssured.given().baseUri(API).auth().oauth2(dispatcher)
                .get("/stock/reconciliation").then().statusCode(200).extract();
        if (!Boolean.TRUE.equals(report.path("consistent"))) {
            throw new AssertionError("the stock picture is inconsistent after "
                    + context.getDisplayName() + ": " + report.asString());
        }
        List<String> submitted = RestAssured.given().baseUri(API).auth().oauth2(dispatcher)
                .queryParam("status", "SUBMITTED").queryParam("limit", 500).get("/orders").then().statusCode(200)
                .extract().path("items.createdAt");
        Instant minuteAgo = Instant.now().minusSeconds(60);
        submitted.stream().map(Instant::parse).filter(t -> t.isBefore(minuteAgo)).findAny().ifPresent(t -> {
            throw new AssertionError("an order submitted at " + t + " is still SUBMITTED after "
                    + context.getDisplayName());
        });
    }

    /** The running platform, for tests that stop and start its parts. */
    static LocalStack stack() {
        if (running == null) {
            throw new IllegalStateException("the platform is not started: extend the test with Platform");
        }
        return running;
    }

    /** A password-grant access token of a demo user from the real Keycloak (client hemolink-cli). */
    public static String token(String user) {
        try {
            return new DemoData(API, TOKEN_URL).token(user, user);
        } catch (Exception e) {
            throw new IllegalStateException("no token for " + user + ": " + e.getMessage(), e);
        }
    }

    /** The running stack; JUnit closes it when the whole run ends. */
    static final class Running implements ExtensionContext.Store.CloseableResource {
        private final LocalStack stack;

        private Running(LocalStack stack) {
            this.stack = stack;
        }

        /**
         * Starts the platform; a start that fails (a child that died, a port taken for a moment) is tried once more,
         * after everything of the first attempt is stopped and on fresh data, before the suite gives up.
         */
        static Running start() {
            Path root = Path.of(System.getProperty("hemolink.root", "..")).toAbsolutePath().normalize();
            Path home = Path.of(System.getProperty("hemolink.e2e.home", "target/hemolink")).toAbsolutePath();
            IllegalStateException first = null;
            for (int attempt = 1; attempt <= 2; attempt++) {
                Instant t0 = Instant.now();
                try {
                    // startForTests wipes the data and stops whatever it started when it fails
                    LocalStack stack = LocalStack.startForTests(root, home);
                    System.out.println("[e2e] platform ready in " + Duration.between(t0, Instant.now()).toSeconds()
                            + " s" + (attempt > 1 ? " (second attempt)" : "") + "; logs in " + stack.runDir());
                    running = stack;
                    return new Running(stack);
                } catch (Exception e) {
                    if (first != null) {
                        IllegalStateException failed = new IllegalStateException("the platform did not start twice; "
                                + "first: " + first.getMessage() + "\nthen: " + e.getMessage(), e);
                        failed.addSuppressed(first);
                        throw failed;
                    }
                    first = new IllegalStateException(e.getMessage(), e);
                    System.out.println("[e2e] the platform did not start (" + e.getMessage() + "); trying once more");
                }
            }
            throw first;
        }

        @Override
        public void close() {
            stack.close();
        }
    }
}
