package io.hemolink.notification.domain;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: the pause doubles from {@code initial} with every failed attempt up to
 * {@code maxStep}, with "equal jitter" (a random point in the upper half of the step) so receivers that come back
 * together are not hit by every sender at once. A delivery is retried until {@code retryFor} has passed since it was
 * made, then given up (FAILED); with the defaults (5 s, 1 h, 25 h) that is about 35 attempts.
 */
public record Backoff(Duration initial, Duration maxStep, Duration retryFor) {

    /** The pause after the {@code failedAttempts}-th failure (1 for the first), jittered by {@code random} in [0,1). */
    public Duration pause(int failedAttempts, DoubleSupplier random) {
        long initialMs = Math.max(1, initial.toMillis());
        long capMs = Math.max(initialMs, maxStep.toMillis());
        long step = initialMs;
        for (int i = 1; i < failedAttempts && step < capMs; i++) {
            step *= 2;
        }
        step = Math.min(step, capMs);
        long half = step / 2;
        double r = Math.min(1, Math.max(0, random.getAsDouble()));
        return Duration.ofMillis(half + Math.round((step - half) * r));
    }

    /** Whether a delivery made {@code age} ago is given up after a failed attempt. */
    public boolean givesUp(Duration age) {
        return age.compareTo(retryFor) >= 0;
    }
}
