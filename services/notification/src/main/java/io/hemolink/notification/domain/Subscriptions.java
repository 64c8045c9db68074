package io.hemolink.notification.domain;

import io.hemolink.common.db.SqlValues;
import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.blood.LocationId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Webhook subscriptions (table {@code subscription}): who asked for which events at which URL, and the secret that
 * signs them, sealed. A subscription belongs to a location: a hospital's to itself, the station's to
 * {@code STATION} (which receives every location's events of its kinds). Its URL passed the {@link HostPolicy} when
 * it was made.
 */
@ApplicationScoped
public class Subscriptions {

    @Inject
    EntityManager em;

    @Inject
    HostPolicy hosts;

    @Inject
    Secrets secrets;

    /** A subscription as stored (never its secret in plain). */
    public record Subscription(UUID id, long seq, String locationId, String url, List<EventKind> events,
                               Instant createdAt, String createdBy) {
    }

    /** A new subscription and its secret, which only this answer ever shows. */
    public record Created(Subscription subscription, String secret) {
    }

    /**
     * Makes a subscription for {@code location} (already checked to be the caller's to name), after the event names
     * and the URL pass (the {@link HostPolicy}); its secret is sealed before it is stored.
     *
     * @param station whether the caller acts for the station (only the station subscribes to RECRUITMENT)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Created create(String requestedUrl, List<String> eventNames, String location, boolean station, String actor,
                          int maxPerLocation, Instant now) {
        if (!LocationId.isValid(location)) {
            throw DomainException.invalid("LOCATION_INVALID", "locationId must be STATION, a hospital (H001) or a"
                    + " storage point (SP01)", "locationId");
        }
        Set<EventKind> kinds = kinds(eventNames);
        if (kinds.contains(EventKind.RECRUITMENT)) {
            if (!station) {
                throw DomainException.forbidden("RECRUITMENT_STATION_ONLY",
                        "only the station subscribes to RECRUITMENT (its donor system)");
            }
            if (!LocationId.isStation(location)) {
                throw DomainException.invalid("RECRUITMENT_STATION_ONLY",
                        "RECRUITMENT goes to the station's own subscriptions only: leave locationId out or STATION",
                        "events");
            }
        }
        URI url = hosts.checkSubscription(requestedUrl);
        // one location's subscriptions are counted under a lock of their own, so two at once cannot pass the limit
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "subscription " + location).getSingleResult();
        long existing = ((Number) em.createNativeQuery("select count(*) from subscription where location_id = ?1")
                .setParameter(1, location).getSingleResult()).longValue();
        if (existing >= maxPerLocation) {
            throw DomainException.conflict("SUBSCRIPTION_LIMIT_REACHED", location + " has " + existing
                    + " subscriptions, the most one location may have; delete one first");
        }
        String secret = secrets.newSecret();
        UUID id = UUID.randomUUID();
        List<EventKind> events = List.copyOf(kinds);
        Number seq = (Number) em.createNativeQuery("""
                        insert into subscription (id, location_id, url, events, secret_sealed, created_at, created_by)
                        values (?1, ?2, ?3, string_to_array(?4, ','), ?5, ?6, ?7) returning seq""")
                .setParameter(1, id).setParameter(2, location).setParameter(3, url.toString())
                .setParameter(4, events.stream().map(Enum::name).collect(Collectors.joining(",")))
                .setParameter(5, secrets.seal(secret)).setParameter(6, SqlValues.utc(now)).setParameter(7, actor)
                .getSingleResult();
        return new Created(new Subscription(id, seq.longValue(), location, url.toString(), events, now, actor), secret);
    }

    /** The event names as kinds, in api.md's order; 422 for none, an unknown one, or one named twice. */
    static Set<EventKind> kinds(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw DomainException.invalid("SUBSCRIPTION_EVENTS_EMPTY", "events must name at least one of "
                    + Arrays.toString(EventKind.values()), "events");
        }
        Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        List<DomainException.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            EventKind kind = Arrays.stream(EventKind.values()).filter(k -> k.name().equals(name)).findFirst().orElse(null);
            if (kind == null) {
                errors.add(new DomainException.FieldError("events[" + i + "]", "'" + name + "' is not one of "
                        + Arrays.toString(EventKind.values())));
            } else if (!kinds.add(kind)) {
                errors.add(new DomainException.FieldError("events[" + i + "]", name + " is named twice"));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid("SUBSCRIPTION_EVENT_UNKNOWN", errors.get(0).message(), errors);
        }
        return kinds;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Subscription> find(UUID id) {
        List<?> rows = em.createNativeQuery(SELECT + " where id = ?1").setParameter(1, id).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(of((Object[]) rows.get(0)));
    }

    /** Deletes a subscription and, with it, its deliveries (pending ones are not sent). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean delete(UUID id) {
        return em.createNativeQuery("delete from subscription where id = ?1").setParameter(1, id).executeUpdate() == 1;
    }

    /** Newest first, before {@code beforeSeq}; only {@code location}'s when it is given. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Subscription> list(String location, long beforeSeq, int limit) {
        var q = em.createNativeQuery(SELECT + " where seq < ?1" + (location == null ? "" : " and location_id = ?2")
                + " order by seq desc limit ?3").setParameter(1, beforeSeq).setParameter(3, limit);
        if (location != null) {
            q.setParameter(2, location);
        }
        return q.getResultList().stream().map(r -> of((Object[]) r)).toList();
    }

    private static final String SELECT = "select id, seq, location_id, url, array_to_string(events, ','), created_at,"
            + " created_by from subscription";

    private static Subscription of(Object[] r) {
        List<EventKind> events = Arrays.stream(((String) r[4]).split(",")).map(EventKind::valueOf).toList();
        return new Subscription(SqlValues.uuid(r[0]), ((Number) r[1]).longValue(), (String) r[2], (String) r[3], events,
                SqlValues.instant(r[5]), (String) r[6]);
    }
}
