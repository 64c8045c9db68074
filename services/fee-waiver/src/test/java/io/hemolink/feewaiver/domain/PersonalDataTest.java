package io.hemolink.feewaiver.domain;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersonalDataTest {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    final PersonalData data = new PersonalData("a-test-hash-key-of-at-least-32-bytes", KEY);

    @Test
    void theHashIsKeyedAndStable() {
        String h = data.hash("11010519491231002X");
        assertEquals(h, data.hash("11010519491231002X"));
        assertTrue(PersonalData.isHash(h));
        assertNotEquals(h, new PersonalData("another-hash-key-of-at-least-32-bytes", KEY).hash("11010519491231002X"),
                "another key, another hash: a dictionary of ID numbers is useless without the key");
        // HMAC-SHA256 test vector shape: 64 hex characters, not the plain SHA-256 of the number
        assertNotEquals("a5e1dc0ba8f45d0f2c86e8d2b12ac4b0a5a0c9d1b4e64e85b1d9c25f3bbbd6b2", h);
    }

    @Test
    void encryptionRoundTripsWithAFreshNonceEachTime() {
        String a = data.encrypt("11010519491231002X");
        String b = data.encrypt("11010519491231002X");
        assertNotEquals(a, b);
        assertFalse(a.contains("11010519491231002X"));
        assertEquals("11010519491231002X", data.decrypt(a));
        assertEquals("张三", data.decrypt(data.encrypt("张三")));
    }

    @Test
    void aTamperedCiphertextOrTheWrongKeyFails() {
        String sealed = data.encrypt("11010519491231002X");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThrows(IllegalStateException.class, () -> data.decrypt(tampered));
        byte[] other = new byte[32];
        other[0] = 1;
        PersonalData wrong = new PersonalData("a-test-hash-key-of-at-least-32-bytes", Base64.getEncoder().encodeToString(other));
        assertThrows(IllegalStateException.class, () -> wrong.decrypt(sealed));
    }

    @Test
    void weakKeysStopTheStart() {
        assertThrows(IllegalArgumentException.class, () -> new PersonalData("short", KEY));
        assertThrows(IllegalArgumentException.class, () -> new PersonalData("a-test-hash-key-of-at-least-32-bytes",
                Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> new PersonalData("a-test-hash-key-of-at-least-32-bytes", "not base64!"));
    }
}
