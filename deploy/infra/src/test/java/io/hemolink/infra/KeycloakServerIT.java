package io.hemolink.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts a real Keycloak through {@link KeycloakServer} (first from the zip, then again reusing the unpacked
 * distribution and the database) and checks the demo realm of api.md with real tokens. Named *IT: the normal
 * surefire run skips it. Run it with
 * {@code ./mvnw -B -pl deploy/infra -Dtest=KeycloakServerIT -Dsurefire.failIfNoSpecifiedTests=false test}.
 * The start times go to stdout and to {@code target/keycloak-it-timings.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakServerIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Path REALM = Path.of("../local/keycloak/hemolink-realm.json");

    private static Path dir;
    private static KeycloakServer keycloak;

    @BeforeAll
    static void startFromTheZip() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "keycloak-it-");
        keycloak = server();
        assertFalse(Files.exists(keycloak.home()), "the distribution is not unpacked yet");
        long t0 = System.nanoTime();
        keycloak.start();
        report("first start (unpack, augmentation, new database, realm import)", t0);
        assertTrue(Files.isExecutable(keycloak.home().resolve("bin/kc.sh")));
    }

    private static KeycloakServer server() {
        return KeycloakServer.builder().port(0).dataDir(dir.resolve("data")).realmFile(REALM)
                .logFile(dir.resolve("keycloak.log")).startTimeout(Duration.ofSeconds(180)).build();
    }

    @AfterAll
    static void stopAndCleanUp() throws IOException {
        if (keycloak != null) {
            keycloak.close();
        }
        if (dir != null) { // keep the log, drop the ~200 MB distribution and the database
            try (Stream<Path> paths = Files.walk(dir.resolve("data"))) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    @Order(1)
    void dispatcherGetsBothStationRolesAndStation() throws Exception {
        String claims = accessClaims(token("grant_type=password&client_id=hemolink-cli&username=dispatcher&password=dispatcher"));
        assertTrue(claims.contains("\"location_id\":\"STATION\""), claims);
        assertTrue(claims.contains("\"preferred_username\":\"dispatcher\""), claims);
        for (String role : List.of("station-dispatcher", "station-qa")) {
            assertTrue(array(claims, "realm_access\":\\{\"roles").contains("\"" + role + "\""), claims);
            assertTrue(array(claims, "groups").contains("\"" + role + "\""), claims);
        }
        assertFalse(array(claims, "groups").contains("hospital-transfusion"), claims);
        assertTrue(claims.contains("\"iss\":\"" + keycloak.issuerUrl() + "\""), claims);
    }

    @Test
    @Order(2)
    void hospitalUserGetsItsLocationAlsoInTheIdToken() throws Exception {
        String body = token("grant_type=password&client_id=hemolink-cli&username=hospital-a&password=hospital-a&scope=openid");
        String claims = accessClaims(body);
        assertTrue(claims.contains("\"location_id\":\"H001\""), claims);
        assertTrue(array(claims, "groups").contains("\"hospital-transfusion\""), claims);
        assertFalse(array(claims, "groups").contains("station-"), claims);
        String idClaims = payload(field(body, "id_token"));
        assertTrue(idClaims.contains("\"location_id\":\"H001\""), idClaims);
    }

    @Test
    @Order(3)
    void hisServiceAccountUsesClientCredentials() throws Exception {
        String claims = accessClaims(token("grant_type=client_credentials&client_id=his-h001&client_secret=his-h001-secret"));
        assertTrue(claims.contains("\"location_id\":\"H001\""), claims);
        assertTrue(array(claims, "groups").contains("\"his-integration\""), claims);
        assertTrue(array(claims, "realm_access\":\\{\"roles").contains("\"his-integration\""), claims);
    }

    @Test
    @Order(4)
    void wrongPasswordAndWrongSecretAreRefused() throws Exception {
        HttpResponse<String> r = post("grant_type=password&client_id=hemolink-cli&username=hospital-a&password=hospital-b");
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("invalid_grant"), r.body());
        assertFalse(r.body().contains("access_token"), r.body());
        r = post("grant_type=client_credentials&client_id=his-h001&client_secret=his-h002-secret");
        assertEquals(401, r.statusCode(), r.body());
        assertFalse(r.body().contains("access_token"), r.body());
    }

    @Test
    @Order(5)
    void theIssuerStaysLocalhostWhenAskedThrough127001() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + keycloak.port() + "/realms/hemolink/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"issuer\":\"" + keycloak.issuerUrl() + "\""), r.body());
    }

    @Test
    @Order(6)
    void theDashboardClientRequiresPkce() throws Exception {
        String auth = keycloak.issuerUrl() + "/protocol/openid-connect/auth?client_id=hemolink-web&response_type=code"
                + "&scope=openid&redirect_uri=" + URLEncoder.encode("http://localhost:8080/", StandardCharsets.UTF_8);
        HttpResponse<String> without = get(auth);
        assertEquals(302, without.statusCode(), without.body());
        String location = without.headers().firstValue("Location").orElse("");
        assertTrue(location.startsWith("http://localhost:8080/") && location.contains("error=invalid_request")
                && location.contains("code_challenge"), location);
        HttpResponse<String> with = get(auth + "&code_challenge_method=S256"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertEquals(200, with.statusCode(), "the login page");
        assertTrue(with.body().contains("kc-form-login") || with.body().contains("username"), "a login form");
    }

    @Test
    @Order(7)
    void healthIsOnTheManagementPort() throws Exception {
        HttpResponse<String> r = get(keycloak.healthUrl());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("UP"), r.body());
    }

    @Test
    @Order(100)
    void restartsFromTheUnpackedDistributionAndKeepsItsData() throws Exception {
        long pid = keycloak.pid();
        List<ProcessHandle> tree = ProcessHandle.of(pid).map(h -> Stream.concat(Stream.of(h), h.descendants()).toList())
                .orElseThrow();
        // kc.sh and its JVM; after the first start's re-augmentation kc.sh execs the JVM: one process
        assertFalse(tree.isEmpty());
        long t0 = System.nanoTime();
        keycloak.close();
        System.out.printf("Keycloak stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        for (ProcessHandle h : tree) {
            assertFalse(h.isAlive(), "process " + h.pid() + " still lives");
        }
        assertFalse(ChildProcesses.portOpen(keycloak.port()));

        keycloak = server();
        t0 = System.nanoTime();
        keycloak.start();
        report("second start (unpacked distribution and database reused)", t0);
        String claims = accessClaims(token("grant_type=password&client_id=hemolink-cli&username=hospital-b&password=hospital-b"));
        assertTrue(claims.contains("\"location_id\":\"H002\""), claims);
        String log = Files.readString(dir.resolve("keycloak.log"));
        assertEquals(1, count(log, "Realm 'hemolink' imported"), "imported once; skipped on the restart");
    }

    private static void report(String what, long t0) throws IOException {
        String line = String.format("Keycloak %s: %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
        System.out.print(line);
        Files.writeString(Path.of("target/keycloak-it-timings.txt"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String token(String form) throws Exception {
        HttpResponse<String> r = post(form);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static HttpResponse<String> post(String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String accessClaims(String tokenResponse) {
        return payload(field(tokenResponse, "access_token"));
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    /** The JWT's payload: Base64url JSON, compact as Keycloak writes it. */
    private static String payload(String jwt) {
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length, jwt);
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    /** The JSON array after {@code "<key>":} (key may be a regex path like {@code realm_access":\{"roles}). */
    private static String array(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\[([^]]*)]").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        String found = m.group(1);
        assertNotNull(found);
        return found;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
