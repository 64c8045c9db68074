package io.hemolink.infra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Real RS256-signed access tokens for service tests, shaped like the local Keycloak's (realm roles in
 * {@code realm_access.roles}, {@code location_id}, {@code preferred_username}). The key pair is made per test JVM and
 * never written anywhere; {@link InfraTestResource} hands its public key to the service under test
 * ({@code quarkus.oidc.public-key}), so the service verifies signatures exactly as in production.
 */
public final class TestTokens {

    public static final String ISSUER = "https://hemolink.test/realms/hemolink";
    private static final KeyPair KEYS = generate();

    private TestTokens() {
    }

    /** The public key in the form {@code quarkus.oidc.public-key} takes (Base64 of the X.509 encoding). */
    public static String publicKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    /** A token for {@code user} with {@code roles}, acting for {@code locationId} (may be null). */
    public static String token(String user, String locationId, String... roles) {
        return sign(user, locationId, List.of(roles), Instant.now().plus(Duration.ofMinutes(10)));
    }

    /** A correctly signed token that expires at {@code expires} (e.g. a few seconds from now). */
    public static String expiringAt(Instant expires, String user, String locationId, String... roles) {
        return sign(user, locationId, List.of(roles), expires);
    }

    /** A correctly signed token that expired an hour ago. */
    public static String expired(String user, String locationId, String... roles) {
        return sign(user, locationId, List.of(roles), Instant.now().minus(Duration.ofHours(1)));
    }

    /** A token signed by a key the service does not trust. */
    public static String forged(String user, String locationId, String... roles) {
        String token = token(user, locationId, roles);
        KeyPair other = generate();
        int dot = token.lastIndexOf('.');
        return token.substring(0, dot + 1) + signature(token.substring(0, dot), other);
    }

    // the test-only convenience logins of api.md's demo realm
    public static String dispatcher() {
        return token("dispatcher", "STATION", "station-dispatcher", "station-qa");
    }

    public static String hospital(String locationId) {
        return token("hospital-" + locationId.toLowerCase(), locationId, "hospital-transfusion");
    }

    public static String his(String locationId) {
        return token("service-account-his-" + locationId.toLowerCase(), locationId, "his-integration");
    }

    public static String storagePointOperator(String locationId) {
        return token("sp-operator-" + locationId.toLowerCase(), locationId, "storage-point-operator");
    }

    public static String waiverAdmin() {
        return token("waiver-admin", "STATION", "waiver-admin");
    }

    private static String sign(String user, String locationId, List<String> roles, Instant expires) {
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"hemolink-test\"}");
        long now = Instant.now().getEpochSecond();
        String rolesJson = roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
        String payload = b64("{"
                + "\"iss\":\"" + ISSUER + "\","
                + "\"sub\":\"" + UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8)) + "\","
                + "\"preferred_username\":\"" + user + "\","
                + "\"jti\":\"" + UUID.randomUUID() + "\","
                + "\"iat\":" + Math.min(now, expires.getEpochSecond() - 60) + ","
                + "\"exp\":" + expires.getEpochSecond() + ","
                + "\"typ\":\"Bearer\","
                + "\"azp\":\"hemolink-cli\","
                + (locationId == null ? "" : "\"location_id\":\"" + locationId + "\",")
                + "\"realm_access\":{\"roles\":[" + rolesJson + "]},"
                + "\"groups\":[" + rolesJson + "]"
                + "}");
        String signingInput = header + "." + payload;
        return signingInput + "." + signature(signingInput, KEYS);
    }

    private static String signature(String signingInput, KeyPair keys) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
