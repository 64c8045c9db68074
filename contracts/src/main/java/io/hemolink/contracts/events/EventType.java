package io.hemolink.contracts.events;

import java.util.Objects;

/**
 * One kind of event: the topic it travels on, its CloudEvents type name and the record that is its JSON payload.
 *
 * @param <T> the payload record
 */
public record EventType<T>(String topic, String ceType, Class<T> payloadClass) {

    public EventType {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(ceType, "ceType");
        Objects.requireNonNull(payloadClass, "payloadClass");
    }
}
