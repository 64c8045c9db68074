package io.hemolink.common.kafka;

/** An event that can never be processed (malformed, unknown shape): sent to the dead-letter topic, not retried. */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message) {
        super(message);
    }
}
