package io.hemolink.storagepoint.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.ExcursionDetected;
import io.hemolink.contracts.events.storage.QuarantineDecided;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.utc;

/**
 * Station QA's decision on quarantined units at a point: RELEASE puts them back in usable stock, DISCARD takes them
 * out; either way the decision is recorded and QuarantineDecided tells the inventory. Every named unit must be at
 * the point and quarantined, or nothing is decided.
 */
@ApplicationScoped
public class Quarantine {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Replenishment replenishment;

    /** A unit named by DIN (canonical) and component. */
    public record Key(String din, Component component) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID decide(String pointId, List<Key> keys, QuarantineDecided.Decision decision, String actor, Instant now) {
        // units are locked in one order (DIN, component), as an excursion locks them, so two changes never deadlock
        List<Integer> order = java.util.stream.IntStream.range(0, keys.size()).boxed()
                .sorted(java.util.Comparator.comparing((Integer i) -> keys.get(i).din())
                        .thenComparing(i -> keys.get(i).component()))
                .toList();
        List<PointUnit> units = new ArrayList<>();
        List<DomainException.FieldError> errors = new ArrayList<>();
        for (int i : order) {
            Key k = keys.get(i);
            List<PointUnit> found = PointUnit.lockedAt(pointId, k.din(), k.component());
            if (found.isEmpty()) {
                errors.add(new DomainException.FieldError("units[" + i + "]", k.din() + " " + k.component() + " is not at " + pointId));
            } else if (found.stream().noneMatch(PointUnit::quarantined)) {
                errors.add(new DomainException.FieldError("units[" + i + "]", k.din() + " " + k.component() + " is not quarantined"));
            } else {
                found.stream().filter(PointUnit::quarantined).forEach(units::add);
            }
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid("NOT_QUARANTINED", "every unit decided must be quarantined at " + pointId, errors);
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("insert into quarantine_decision (id, storage_point_id, decision, actor, decided_at) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, id).setParameter(2, pointId).setParameter(3, decision.name()).setParameter(4, actor)
                .setParameter(5, utc(now)).executeUpdate();
        List<ExcursionDetected.UnitKey> decided = new ArrayList<>();
        for (PointUnit u : units) {
            em.createNativeQuery("insert into quarantine_decision_unit (decision_id, din, component) values (?1, ?2, ?3) on conflict do nothing")
                    .setParameter(1, id).setParameter(2, u.din).setParameter(3, u.component.name()).executeUpdate();
            decided.add(new ExcursionDetected.UnitKey(u.din, u.component.name()));
            if (decision == QuarantineDecided.Decision.RELEASE) {
                u.holdExcursionId = null;
                u.status = UnitStatus.AVAILABLE;
                u.updatedAt = now;
            } else {
                u.delete();
            }
        }
        outbox.publish(Events.QUARANTINE_DECIDED, pointId, "quarantine/" + id,
                new QuarantineDecided(pointId, decision, List.copyOf(decided), actor, now));
        em.flush();
        replenishment.evaluate(pointId, now);
        return id;
    }
}
