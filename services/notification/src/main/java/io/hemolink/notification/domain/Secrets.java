package io.hemolink.notification.domain;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The subscriptions' signing secrets: made at random ({@value #PREFIX} + 32 bytes, Base64url), shown once, and kept
 * only sealed with AES-256-GCM under a key from configuration, since signing a delivery needs the secret itself
 * (a hash would not do). The key is never in the database; a sealed secret names the key version it was made with.
 */
public final class Secrets {

    public static final String PREFIX = "whsec_";
    private static final String VERSION = "v1:";
    private static final int SECRET_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param base64Key Base64 of exactly 32 bytes (AES-256) */
    public Secrets(String base64Key) {
        byte[] aes;
        try {
            aes = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the notification secret key must be Base64");
        }
        if (aes.length != 32) {
            throw new IllegalArgumentException("the notification secret key must be 32 bytes (Base64 of 256 bits)");
        }
        this.key = new SecretKeySpec(aes, "AES");
    }

    /** A new signing secret, e.g. {@code whsec_3q2-7w...} (43 characters after the prefix). */
    public String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public String seal(String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public String open(String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown sealed secret version");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a subscription secret could not be opened (wrong key?)", e);
        }
    }

    /**
     * The {@code Hemolink-Signature} header's value for a body: {@code sha256=} and the lower-case hex HMAC-SHA256 of
     * the raw body's bytes, keyed with the secret exactly as shown to the subscriber (its UTF-8 bytes, prefix included).
     */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
