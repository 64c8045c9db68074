package io.hemolink.gateway;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    private final AtomicLong clock = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(clock::get);
    private final RateLimiter.Limit twoPerSecondBurstThree = new RateLimiter.Limit(2, 3);

    @Test
    void aBurstIsAllowedThenTheCallerWaitsForTheRefill() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.tryAcquire("a", twoPerSecondBurstThree), "request " + (i + 1) + " of the burst");
        }
        long wait = limiter.tryAcquire("a", twoPerSecondBurstThree);
        assertEquals(500_000_000L, wait, "one token every half second");
        clock.addAndGet(500_000_000L);
        assertEquals(0, limiter.tryAcquire("a", twoPerSecondBurstThree));
        assertTrue(limiter.tryAcquire("a", twoPerSecondBurstThree) > 0);
    }

    @Test
    void callersHaveTheirOwnBucketsAndIdleTimeRefillsOnlyToTheBurst() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("a", twoPerSecondBurstThree);
        }
        assertEquals(0, limiter.tryAcquire("b", twoPerSecondBurstThree), "b is not limited by a");
        clock.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.tryAcquire("a", twoPerSecondBurstThree));
        }
        assertTrue(limiter.tryAcquire("a", twoPerSecondBurstThree) > 0, "a minute idle still gives only the burst");
    }

    @Test
    void aLimitRefillsAndHoldsSomething() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter.Limit(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter.Limit(1, 0));
    }
}
