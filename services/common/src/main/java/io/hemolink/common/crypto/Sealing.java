package io.hemolink.common.crypto;

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
 * Text sealed with AES-256-GCM under a key from configuration, never from the database: a fresh 12-byte IV per seal,
 * a 128-bit tag, stored as {@code v1:} + Base64(IV ‖ ciphertext) so a later key version can be told apart. What the
 * fee-waiver service keeps of ID numbers and names, and the notification service of its subscribers' signing
 * secrets. Also the platform's one HMAC-SHA256 (hex).
 */
public final class Sealing {

    /** Prefix of a sealed text: the key version it was made with (room for rotation). */
    private static final String VERSION = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final String what;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param base64Key Base64 of exactly 32 bytes (AES-256)
     * @param what      the key as an operator knows it, for the messages (e.g. "the ID encryption key")
     */
    public Sealing(String base64Key, String what) {
        byte[] aes;
        try {
            aes = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be Base64");
        }
        if (aes.length != 32) {
            throw new IllegalArgumentException(what + " must be 32 bytes (Base64 of 256 bits)");
        }
        this.key = new SecretKeySpec(aes, "AES");
        this.what = what;
    }

    /** {@code plain} sealed; null stays null. */
    public String seal(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The text {@link #seal} sealed; null stays null; another key's or a tampered text is refused. */
    public String open(String sealed) {
        if (sealed == null) {
            return null;
        }
        if (!sealed.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown sealed text version");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a text sealed under " + what + " could not be opened (wrong key?)", e);
        }
    }

    /** The lower-case hex HMAC-SHA256 of {@code data} keyed with {@code key}. */
    public static String hmacSha256Hex(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
