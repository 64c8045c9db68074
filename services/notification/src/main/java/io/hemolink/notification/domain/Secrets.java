package io.hemolink.notification.domain;

import io.hemolink.common.crypto.Sealing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The subscriptions' signing secrets: made at random ({@value #PREFIX} + 32 bytes, Base64url), shown once, and kept
 * only sealed with AES-256-GCM under a key from configuration, since signing a delivery needs the secret itself
 * (a hash would not do). The key is never in the database; a sealed secret names the key version it was made with.
 */
public final class Secrets {

    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;

    private final Sealing sealing;
    private final SecureRandom random = new SecureRandom();

    /** @param base64Key Base64 of exactly 32 bytes (AES-256) */
    public Secrets(String base64Key) {
        this.sealing = new Sealing(base64Key, "the notification secret key");
    }

    /** A new signing secret, e.g. {@code whsec_3q2-7w...} (43 characters after the prefix). */
    public String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public String seal(String secret) {
        return sealing.seal(secret);
    }

    public String open(String sealed) {
        if (sealed == null) {
            throw new IllegalArgumentException("unknown sealed secret version");
        }
        return sealing.open(sealed);
    }

    /**
     * The {@code Hemolink-Signature} header's value for a body: {@code sha256=} and the lower-case hex HMAC-SHA256 of
     * the raw body's bytes, keyed with the secret exactly as shown to the subscriber (its UTF-8 bytes, prefix included).
     */
    public static String signature(String secret, byte[] body) {
        return "sha256=" + Sealing.hmacSha256Hex(secret.getBytes(StandardCharsets.UTF_8), body);
    }
}
