package io.hemolink.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local demo realm of api.md, imported into a real Keycloak from the Maven Central distribution: every login
 * and service account gets a token with its roles and location_id; wrong secrets and the wrong grant are refused.
 */
class KeycloakRealmTest {

    private static KeycloakServer keycloak;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "keycloak-");
        keycloak = new KeycloakServer(0, dir.resolve("data"), Path.of("../local/keycloak/hemolink-realm.json"),
                dir.resolve("keycloak.log"));
        long t0 = System.nanoTime();
        keycloak.start();
        System.out.printf("Keycloak with the hemolink realm started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @ParameterizedTest(name = "{0} gets {1} at {2}")
    @CsvSource({
            "dispatcher,   station-dispatcher,     STATION",
            "dispatcher,   station-qa,             STATION",
            "hospital-a,   hospital-transfusion,   H001",
            "hospital-b,   hospital-transfusion,   H002",
            "sp-operator,  storage-point-operator, SP01",
            "waiver-admin, waiver-admin,           STATION",
    })
    void usersLogInWithTheirRolesAndLocation(String user, String role, String location) throws Exception {
        HttpResponse<String> r = token("grant_type=password&client_id=hemolink-cli&username=" + user + "&password=" + user);
        assertEquals(200, r.statusCode(), r.body());
        String claims = claims(r.body());
        assertTrue(claims.contains("\"location_id\":\"" + location + "\""), claims);
        assertTrue(claims.matches(".*\"realm_access\":\\{\"roles\":\\[[^]]*\"" + role + "\".*"), claims);
        assertTrue(claims.contains("\"preferred_username\":\"" + user + "\""), claims);
    }

    @ParameterizedTest(name = "{0} is his-integration at {2}")
    @CsvSource({"his-h001, his-h001-secret, H001", "his-h002, his-h002-secret, H002"})
    void hisServiceAccountsUseClientCredentials(String client, String secret, String location) throws Exception {
        HttpResponse<String> r = token("grant_type=client_credentials&client_id=" + client + "&client_secret=" + secret);
        assertEquals(200, r.statusCode(), r.body());
        String claims = claims(r.body());
        assertTrue(claims.contains("\"location_id\":\"" + location + "\""), claims);
        assertTrue(claims.contains("\"his-integration\""), claims);
    }

    @ParameterizedTest(name = "refused: {0}")
    @CsvSource(delimiter = '|', value = {
            "grant_type=password&client_id=hemolink-cli&username=dispatcher&password=wrong   | 401",
            "grant_type=client_credentials&client_id=his-h001&client_secret=his-h002-secret | 401",
            "grant_type=password&client_id=hemolink-web&username=dispatcher&password=dispatcher | 400",
    })
    void wrongSecretsAndGrantsAreRefused(String form, int status) throws Exception {
        HttpResponse<String> r = token(form.trim());
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(!r.body().contains("access_token"), r.body());
    }

    private static HttpResponse<String> token(String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String claims(String tokenResponse) {
        String jwt = tokenResponse.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
