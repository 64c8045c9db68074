package io.hemolink.notification.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffAndSecretsTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(25));

    @Test
    void thePauseDoublesUpToAnHourWithJitterInTheUpperHalf() {
        assertEquals(Duration.ofSeconds(5), backoff.pause(1, () -> 0.9999999));
        assertEquals(Duration.ofMillis(2500), backoff.pause(1, () -> 0.0));
        assertEquals(Duration.ofSeconds(10), backoff.pause(2, () -> 0.9999999));
        assertEquals(Duration.ofSeconds(40), backoff.pause(4, () -> 0.9999999));
        assertEquals(Duration.ofHours(1), backoff.pause(12, () -> 0.9999999));
        assertEquals(Duration.ofHours(1), backoff.pause(500, () -> 0.9999999));
        assertEquals(Duration.ofMinutes(30), backoff.pause(500, () -> 0.0));
    }

    @Test
    void retriedForAtLeastADayThenGivenUp() {
        // the attempts a delivery gets in retry-for with the longest pauses (no jitter shortening them)
        Duration elapsed = Duration.ZERO;
        int attempts = 1;
        while (!backoff.givesUp(elapsed)) {
            elapsed = elapsed.plus(backoff.pause(attempts, () -> 0.9999999));
            attempts++;
        }
        assertTrue(elapsed.compareTo(Duration.ofHours(24)) >= 0);
        assertTrue(attempts > 24 && attempts < 40, "attempts: " + attempts);
        assertFalse(backoff.givesUp(Duration.ofHours(24)));
        assertTrue(backoff.givesUp(Duration.ofHours(25)));
    }

    @Test
    void secretsAreRandomAndSealedWithAesGcm() {
        Secrets secrets = new Secrets(Base64.getEncoder().encodeToString(new byte[32]));
        String a = secrets.newSecret();
        String b = secrets.newSecret();
        assertNotEquals(a, b);
        assertTrue(a.matches("whsec_[A-Za-z0-9_-]{43}"), a);
        String sealed = secrets.seal(a);
        assertNotEquals(sealed, secrets.seal(a), "a fresh IV each time");
        assertFalse(sealed.contains(a.substring(6)));
        assertEquals(a, secrets.open(sealed));
        Secrets otherKey = new Secrets(Base64.getEncoder().encodeToString("another-key-of-exactly-32-bytes!".getBytes()));
        assertThrows(IllegalStateException.class, () -> otherKey.open(sealed));
        assertThrows(IllegalArgumentException.class, () -> new Secrets("c2hvcnQ="));
        assertThrows(IllegalArgumentException.class, () -> new Secrets(null));
    }

    @Test
    void theSignatureIsTheHexHmacOfTheRawBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Secrets.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }
}
