package io.hemolink.common.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.contracts.events.EventType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * An event as consumed: its CloudEvents attributes from the Kafka headers and its JSON payload. A record without
 * an id or type, or whose payload does not match its type, is a {@link PoisonEventException}: it goes to the
 * dead-letter topic instead of being retried.
 */
public record InboundEvent(String id, String type, String source, String time, String subject, String key,
                           String payload) {

    public static InboundEvent of(ConsumerRecord<String, String> record) {
        String id = header(record, CloudEventHeaders.ID);
        String type = header(record, CloudEventHeaders.TYPE);
        if (id == null || id.isBlank() || type == null || type.isBlank()) {
            throw new PoisonEventException("event without ce_id or ce_type on " + record.topic() + " at offset "
                    + record.offset());
        }
        if (record.value() == null) {
            throw new PoisonEventException("event " + id + " has no payload");
        }
        return new InboundEvent(id, type, header(record, CloudEventHeaders.SOURCE), header(record, CloudEventHeaders.TIME),
                header(record, CloudEventHeaders.SUBJECT), record.key(), record.value());
    }

    public boolean is(EventType<?> eventType) {
        return eventType.ceType().equals(type);
    }

    /** The payload as the record of {@code eventType}; poison when it does not fit. */
    public <T> T payload(EventType<T> eventType, ObjectMapper mapper) {
        if (!is(eventType)) {
            throw new PoisonEventException("event " + id + " is " + type + ", not " + eventType.ceType());
        }
        try {
            return mapper.readValue(payload, eventType.payloadClass());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new PoisonEventException("event " + id + " (" + type + ") has an unreadable payload: " + reason);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
