package io.hemolink.feewaiver.domain;

import io.hemolink.common.crypto.Sealing;

import java.nio.charset.StandardCharsets;

/**
 * How personal data (ID numbers, names) is kept (PIPL): a keyed hash (HMAC-SHA256) to find a person by ID number,
 * and AES-256-GCM for the rare authorised display. Neither key is in the database; both come from configuration.
 * The hash key is shared with the station's donor system, which names donors on the donations topic by this hash.
 */
public final class PersonalData {

    private final byte[] hashKey;
    private final Sealing sealing;

    /**
     * @param hashKey       the HMAC key, at least 32 bytes of UTF-8
     * @param encryptionKey Base64 of exactly 32 bytes (AES-256)
     */
    public PersonalData(String hashKey, String encryptionKey) {
        if (hashKey == null || hashKey.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the ID hash key must be at least 32 bytes");
        }
        this.sealing = new Sealing(encryptionKey, "the ID encryption key");
        this.hashKey = hashKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The lookup hash of a canonical ID number: 64 lower-case hex characters. */
    public String hash(String idNumber) {
        return Sealing.hmacSha256Hex(hashKey, idNumber.getBytes(StandardCharsets.UTF_8));
    }

    /** True when {@code text} has the shape of {@link #hash}. */
    public static boolean isHash(String text) {
        return text != null && text.matches("[0-9a-f]{64}");
    }

    public String encrypt(String plain) {
        return sealing.seal(plain);
    }

    public String decrypt(String sealed) {
        return sealing.open(sealed);
    }
}
