package io.hemolink.common.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;


/**
 * The idempotent-consumer log. A consumer calls {@link #firstTime} in the same transaction as the event's effect:
 * the first delivery records the id and goes ahead; a redelivery finds it and does nothing. Two deliveries racing
 * on different threads serialise on the primary key, so only one has the effect.
 */
@ApplicationScoped
public class ProcessedEvents {

    @Inject
    EntityManager em;

    /** True the first time {@code consumer} sees {@code eventId}; false for a duplicate. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstTime(String consumer, String eventId) {
        return em.createNativeQuery("insert into processed_event (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate() == 1;
    }

    /**
     * When {@code event} is of {@code type}: reads its payload (poison when unreadable) and, the first time
     * {@code consumer} sees the event, applies {@code effect} in the current transaction.
     *
     * @return true when the effect ran
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> boolean once(String consumer, InboundEvent event, EventType<T> type, ObjectMapper mapper,
                            java.util.function.Consumer<T> effect) {
        if (!event.is(type)) {
            return false;
        }
        T payload = event.payload(type, mapper);
        if (!firstTime(consumer, event.id())) {
            return false;
        }
        effect.accept(payload);
        return true;
    }
}
