package io.hemolink.storagepoint.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.ExcursionDetected;
import io.hemolink.contracts.events.storage.TransferRequested;
import io.hemolink.storagepoint.config.StoragePointConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;

/**
 * Transfers between sites requested by the station (TransferRequested; the inventory moves the units and the
 * point's picture follows its UnitMoved events), and the rotation proposals: units at storage points expiring
 * within the window, each proposed for the site that transfused most of its component and group over the history
 * window, when that site uses it more than the point itself.
 */
@ApplicationScoped
public class Transfers {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    StoragePointConfig config;

    /** A requested transfer. */
    public record Requested(UUID transferId, String fromLocationId, String toLocationId, String equipmentId,
                            List<Quarantine.Key> units, Instant at) {
    }

    /** One near-expiry unit and the site proposed for it. */
    public record Proposal(String din, Component component, Abo abo, RhD rhd, int quantity, Instant expiresAt,
                           String fromLocationId, String equipmentId, String toLocationId, int toTransfused,
                           int fromTransfused) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Requested request(List<Quarantine.Key> keys, String from, String to, String equipmentId, String actor,
                             Instant now) {
        List<DomainException.FieldError> errors = new ArrayList<>();
        if (!LocationId.isValid(from) || (LocationId.isStoragePoint(from) && StoragePoint.byId(from).isEmpty())) {
            errors.add(new DomainException.FieldError("fromLocationId", "not a known location"));
        }
        if (!LocationId.isValid(to) || (LocationId.isStoragePoint(to) && StoragePoint.byId(to).isEmpty())) {
            errors.add(new DomainException.FieldError("toLocationId", "not a known location"));
        }
        if (from.equals(to)) {
            errors.add(new DomainException.FieldError("toLocationId", "a transfer goes to another site"));
        }
        if (equipmentId != null && Equipment.<Equipment>findByIdOptional(equipmentId)
                .filter(e -> e.storagePointId.equals(to)).isEmpty()) {
            errors.add(new DomainException.FieldError("equipmentId", "not equipment of the storage point " + to));
        }
        if (keys.stream().distinct().count() != keys.size()) {
            errors.add(new DomainException.FieldError("units", "a unit is named twice"));
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid("TRANSFER_INVALID", "the transfer cannot be made", errors);
        }
        if (LocationId.isStoragePoint(from)) {
            for (int i = 0; i < keys.size(); i++) {
                Quarantine.Key k = keys.get(i);
                List<PointUnit> found = PointUnit.lockedAt(from, k.din(), k.component());
                String why = found.isEmpty() ? "is not at " + from
                        : found.get(0).quarantined() ? "is quarantined"
                        : found.get(0).expiredAt(now) ? "has expired" : null;
                if (why != null) {
                    errors.add(new DomainException.FieldError("units[" + i + "]", k.din() + " " + k.component() + " " + why));
                }
            }
            if (!errors.isEmpty()) {
                throw DomainException.invalid("UNIT_NOT_AVAILABLE", "only available units of " + from + " can be transferred", errors);
            }
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into transfer (id, from_location_id, to_location_id, equipment_id, actor, requested_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6)""")
                .setParameter(1, id).setParameter(2, from).setParameter(3, to).setParameter(4, equipmentId)
                .setParameter(5, actor).setParameter(6, utc(now)).executeUpdate();
        for (Quarantine.Key k : keys) {
            em.createNativeQuery("insert into transfer_unit (transfer_id, din, component) values (?1, ?2, ?3)")
                    .setParameter(1, id).setParameter(2, k.din()).setParameter(3, k.component().name()).executeUpdate();
        }
        // keyed by the storage point involved, so it stays in order with that point's other events
        String key = LocationId.isStoragePoint(from) ? from : LocationId.isStoragePoint(to) ? to : id.toString();
        outbox.publish(Events.TRANSFER_REQUESTED, key, "transfer/" + id, new TransferRequested(id.toString(),
                keys.stream().map(k -> new ExcursionDetected.UnitKey(k.din(), k.component().name())).toList(),
                from, to, equipmentId, actor, now));
        return new Requested(id, from, to, equipmentId, List.copyOf(keys), now);
    }

    /** Near-expiry units at the storage points and where they would be used first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Proposal> proposals(Instant now) {
        LocalDate since = now.atZone(config.zone()).toLocalDate().minusDays(config.rotation().historyDays() - 1L);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select u.din, u.component, u.abo, u.rhd, u.quantity, u.expires_at, u.storage_point_id, u.equipment_id,
                               best.location_id, coalesce(best.total, 0),
                               coalesce((select sum(h.quantity) from daily_transfusion h
                                         where h.location_id = u.storage_point_id and h.component = u.component
                                           and h.abo = u.abo and h.rhd = u.rhd and h.day >= ?3), 0) as own
                        from point_unit u
                        left join lateral (
                            select h.location_id, sum(h.quantity) as total from daily_transfusion h
                            where h.component = u.component and h.abo = u.abo and h.rhd = u.rhd and h.day >= ?3
                              and h.location_id <> u.storage_point_id
                            group by h.location_id order by total desc, h.location_id limit 1) best on true
                        where u.status = 'AVAILABLE' and u.hold_excursion_id is null
                          and u.expires_at > ?1 and u.expires_at <= ?2
                        order by u.expires_at, u.din, u.component""")
                .setParameter(1, utc(now))
                .setParameter(2, utc(now.plus(config.rotation().window())))
                .setParameter(3, since)
                .getResultList();
        List<Proposal> out = new ArrayList<>();
        for (Object[] r : rows) {
            int best = ((Number) r[9]).intValue();
            int own = ((Number) r[10]).intValue();
            if (r[8] == null || best <= own) {
                continue;
            }
            out.add(new Proposal(((String) r[0]).trim(), Component.valueOf((String) r[1]), Abo.valueOf((String) r[2]),
                    RhD.valueOf((String) r[3]), ((Number) r[4]).intValue(), instant(r[5]), (String) r[6],
                    (String) r[7], (String) r[8], best, own));
        }
        return out;
    }
}
