package io.hemolink.storagepoint.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.UnitMoved;
import io.hemolink.contracts.events.storage.UnitPlaced;
import io.hemolink.storagepoint.config.StoragePointConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The picture of the units at the storage points, kept from the inventory's UnitMoved events: a unit whose movement
 * ends at a registered point as AVAILABLE or QUARANTINED is there (with its expiry and equipment); any other movement
 * of it (transfused, discarded, expired, transferred or sent elsewhere) takes it away. A unit arriving without
 * equipment is placed in the first equipment of its kind ({@code Component.storedIn()}) and the placement published.
 * Transfusions anywhere in the region are counted per day, for rotation proposals. Each change re-evaluates the
 * par levels of the points it touched.
 */
@ApplicationScoped
public class PointStock {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Replenishment replenishment;

    @Inject
    StoragePointConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(UnitMoved m) {
        Instant now = Instant.now();
        if (m.din() == null || m.component() == null || m.movement() == null) {
            throw new io.hemolink.common.kafka.PoisonEventException("UnitMoved without din, component or movement");
        }
        if (m.movement() == MovementType.TRANSFUSED && m.toLocationId() != null && m.abo() != null && m.rhd() != null) {
            countTransfusion(m);
        }
        String division = m.division() == null ? "" : m.division();
        Optional<PointUnit> existing = PointUnit.lockedKey(m.din(), m.component(), division);
        String to = m.toLocationId();
        boolean here = LocationId.isStoragePoint(to)
                && (m.status() == UnitStatus.AVAILABLE || m.status() == UnitStatus.QUARANTINED)
                && StoragePoint.byId(to).isPresent()
                && !issuedAlready(m.din(), m.component().name(), division);
        Set<String> touched = new LinkedHashSet<>();
        if (here && (m.abo() == null || m.rhd() == null)) {
            throw new io.hemolink.common.kafka.PoisonEventException("UnitMoved of a unit at " + to + " without its group");
        }
        if (here) {
            PointUnit u = existing.orElseGet(PointUnit::new);
            if (u.id != null && !to.equals(u.storagePointId)) {
                touched.add(u.storagePointId);
                u.equipmentId = null;
                u.holdExcursionId = null;
                u.arrivedAt = now;
            }
            if (u.id == null) {
                u.din = m.din();
                u.component = m.component();
                u.division = division;
                u.arrivedAt = now;
            }
            u.storagePointId = to;
            u.abo = m.abo();
            u.rhd = m.rhd();
            u.quantity = m.quantity();
            u.uom = m.uom() == null ? m.component().uom() : m.uom();
            if (m.expiresAt() != null) {
                u.expiresAt = m.expiresAt();
            }
            u.status = m.status();
            u.updatedAt = now;
            u.special.set(m.attributes());
            Optional<Equipment> named = m.equipmentId() == null ? Optional.empty()
                    : Equipment.<Equipment>findByIdOptional(m.equipmentId()).filter(e -> to.equals(e.storagePointId));
            if (named.isPresent()) {
                u.equipmentId = named.get().id;
            } else if (u.equipmentId == null) {
                Optional<Equipment> fit = Equipment.firstOfKind(to, m.component().storedIn());
                if (fit.isPresent()) {
                    u.equipmentId = fit.get().id;
                    outbox.publish(Events.UNIT_PLACED, to, "unit/" + u.din + "/" + u.component,
                            new UnitPlaced(to, u.din, u.component.name(), u.equipmentId, now));
                }
            }
            if (u.id == null) {
                u.persist();
            }
            touched.add(to);
        } else if (existing.isPresent()) {
            touched.add(existing.get().storagePointId);
            existing.get().delete();
        }
        em.flush();
        for (String point : touched) {
            replenishment.evaluate(point, now);
        }
    }

    private boolean issuedAlready(String din, String component, String division) {
        return ((Number) em.createNativeQuery("select count(*) from issue where din = ?1 and component = ?2 and division = ?3")
                .setParameter(1, din).setParameter(2, component).setParameter(3, division)
                .getSingleResult()).intValue() > 0;
    }

    private void countTransfusion(UnitMoved m) {
        LocalDate day = (m.occurredAt() == null ? Instant.now() : m.occurredAt()).atZone(config.zone()).toLocalDate();
        em.createNativeQuery("""
                        insert into daily_transfusion (location_id, component, abo, rhd, day, quantity)
                        values (?1, ?2, ?3, ?4, ?5, ?6)
                        on conflict (location_id, component, abo, rhd, day)
                        do update set quantity = daily_transfusion.quantity + excluded.quantity""")
                .setParameter(1, m.toLocationId()).setParameter(2, m.component().name()).setParameter(3, m.abo().name())
                .setParameter(4, m.rhd().name()).setParameter(5, day).setParameter(6, Math.max(m.quantity(), 0))
                .executeUpdate();
    }
}
