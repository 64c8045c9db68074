package io.hemolink.common.kafka;

/**
 * An event that can never be processed (malformed, unknown shape, or refused by a rule of the domain that would
 * refuse it again): sent to the dead-letter topic, not retried.
 */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
