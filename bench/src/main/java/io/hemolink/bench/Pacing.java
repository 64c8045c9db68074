package io.hemolink.bench;

import java.util.concurrent.locks.LockSupport;

/** Open-loop pacing: each send is due at its own time, whatever the answers to the previous ones are doing. */
final class Pacing {

    private Pacing() {
    }

    static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
