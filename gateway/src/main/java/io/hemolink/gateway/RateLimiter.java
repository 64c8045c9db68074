package io.hemolink.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per caller: each holds up to {@code burst} requests and refills at {@code perSecond}. A request takes
 * one token or is refused with the time until one is there. Plain Java: the clock is given, so it is unit-tested.
 */
public final class RateLimiter {

    /** A caller's allowance. */
    public record Limit(double perSecond, int burst) {
        public Limit {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("a limit refills at more than 0 per second into a bucket of at least 1");
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public RateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one request from {@code caller}'s bucket.
     *
     * @return 0 when allowed, otherwise the nanoseconds until the next request would be
     */
    public long tryAcquire(String caller, Limit limit) {
        Bucket bucket = buckets.computeIfAbsent(caller, k -> {
            Bucket b = new Bucket();
            b.tokens = limit.burst();
            b.updatedNanos = nanoClock.getAsLong();
            return b;
        });
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            double refill = (now - bucket.updatedNanos) / 1e9 * limit.perSecond();
            bucket.tokens = Math.min(limit.burst(), bucket.tokens + refill);
            bucket.updatedNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / limit.perSecond() * 1e9);
        }
    }
}
