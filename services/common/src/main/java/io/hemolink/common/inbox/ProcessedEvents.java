package io.hemolink.common.inbox;

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
}
