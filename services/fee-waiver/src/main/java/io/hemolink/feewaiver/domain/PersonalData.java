package io.hemolink.feewaiver.domain;

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
 * How personal data (ID numbers, names) is kept (PIPL): a keyed hash (HMAC-SHA256) to find a person by ID number,
 * and AES-256-GCM for the rare authorised display. Neither key is in the database; both come from configuration.
 * The hash key is shared with the station's donor system, which names donors on the donations topic by this hash.
 */
public final class PersonalData {

    /** Prefix of a ciphertext: the key version it was made with (room for rotation). */
    private static final String VERSION = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec hashKey;
    private final SecretKeySpec encryptionKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param hashKey       the HMAC key, at least 32 bytes of UTF-8
     * @param encryptionKey Base64 of exactly 32 bytes (AES-256)
     */
    public PersonalData(String hashKey, String encryptionKey) {
        if (hashKey == null || hashKey.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the ID hash key must be at least 32 bytes");
        }
        byte[] aes;
        try {
            aes = Base64.getDecoder().decode(encryptionKey == null ? "" : encryptionKey.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the ID encryption key must be Base64");
        }
        if (aes.length != 32) {
            throw new IllegalArgumentException("the ID encryption key must be 32 bytes (Base64 of 256 bits)");
        }
        this.hashKey = new SecretKeySpec(hashKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.encryptionKey = new SecretKeySpec(aes, "AES");
    }

    /** The lookup hash of a canonical ID number: 64 lower-case hex characters. */
    public String hash(String idNumber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            return HexFormat.of().formatHex(mac.doFinal(idNumber.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /** True when {@code text} has the shape of {@link #hash}. */
    public static boolean isHash(String text) {
        return text != null && text.matches("[0-9a-f]{64}");
    }

    public String encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public String decrypt(String sealed) {
        if (sealed == null) {
            return null;
        }
        if (!sealed.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown ciphertext version");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("personal data could not be decrypted (wrong key?)", e);
        }
    }
}
