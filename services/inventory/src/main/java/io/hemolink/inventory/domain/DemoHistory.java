package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.UnitAttributes;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.inventory.config.InventoryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's past (ADR 0033): on a demo platform ({@code hemolink.inventory.demo-history.enabled}, which
 * {@code deploy/local/up.sh} sets and nothing else does), once the service has started and only if the ledger has no
 * movement at all, the {@link DemoHistoryPlan} of the last four weeks is recorded through {@link StockLedger#record}
 * with each movement's own past time, in one transaction: the units, their movements, the daily issues, the levels
 * and the outbox events are exactly what the same work done at the time would have left, and a second start (any
 * ledger with a past) adds nothing. There is no API for it: no caller can write a past.
 * The service is not ready ({@link DemoHistoryReadiness}) until the history is recorded, so the demo stock and the
 * living demo come after it.
 */
@ApplicationScoped
public class DemoHistory {

    /** The actor of every movement the history records. */
    public static final String ACTOR = "system:demo-history";

    private static final Logger LOG = Logger.getLogger(DemoHistory.class);
    private static final long LOCK = 0x64656d6f68697374L; // "demohist": one generator at a time across instances

    /** What was recorded: bags, movements, fates, units received per hospital and wasted per reason code. */
    public record Summary(int bags, int movements, int transfused, int returnedToStock, int leftInStock,
                          Map<String, Integer> receivedByHospital, Map<DiscardReason, Integer> wastedByReason) {

        static Summary nothing() {
            return new Summary(0, 0, 0, 0, 0, Map.of(), Map.of());
        }
    }

    @Inject
    InventoryConfig config;

    @Inject
    StockLedger ledger;

    @Inject
    EntityManager em;

    private volatile boolean settled;
    private volatile Summary last;

    void onStart(@Observes StartupEvent event) {
        if (!config.demoHistory().enabled()) {
            settled = true;
            return;
        }
        Thread t = new Thread(() -> {
            try {
                Summary s = generate(Instant.now());
                if (s.bags() > 0) {
                    LOG.infof("demo history recorded: %d bags, %d movements over %d days (%d transfused, %d wasted)",
                            s.bags(), s.movements(), config.demoHistory().days(), s.transfused(),
                            s.wastedByReason().values().stream().mapToInt(Integer::intValue).sum());
                } else {
                    LOG.info("demo history: the ledger has a past already, nothing added");
                }
            } catch (RuntimeException e) {
                LOG.error("demo history could not be recorded (the demo starts without it)", e);
            } finally {
                settled = true;
            }
        }, "hemolink-demo-history");
        t.setDaemon(true);
        t.start();
    }

    /** Whether the history is recorded, was not needed, or failed (the service is ready either way then). */
    public boolean settled() {
        return settled;
    }

    /**
     * Records the history ending at {@code now} if the ledger is empty, in one transaction; returns what it recorded
     * ({@link Summary#nothing()} on a ledger with any movement).
     */
    public Summary generate(Instant now) {
        InventoryConfig.DemoHistory c = config.demoHistory();
        DemoHistoryPlan.Plan plan = DemoHistoryPlan.plan(now, config.zone(), c.days(), c.scale(), c.hospitals(), c.seed());
        return QuarkusTransaction.requiringNew().timeout(900).call(() -> {
            em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(?1)) l").setParameter(1, LOCK)
                    .getSingleResult();
            boolean empty = (Boolean) em.createNativeQuery("select not exists (select 1 from unit_movement)")
                    .getSingleResult();
            Summary s = empty ? record(plan) : Summary.nothing();
            last = s;
            return s;
        });
    }

    /** What the latest run recorded (null before any). */
    public Summary last() {
        return last;
    }

    private Summary record(DemoHistoryPlan.Plan plan) {
        Map<Integer, Long> ids = new HashMap<>();
        Map<String, Integer> received = new TreeMap<>();
        Map<DiscardReason, Integer> wasted = new EnumMap<>(DiscardReason.class);
        int transfused = 0;
        int returned = 0;
        LocalDate day = null;
        for (DemoHistoryPlan.Move m : plan.moves()) {
            LocalDate d = LocalDate.ofInstant(m.at(), config.zone());
            if (!d.equals(day)) {
                // a day's movements at a time in the persistence context: each movement flushes, and a flush checks
                // every managed entity
                em.flush();
                em.clear();
                day = d;
            }
            DemoHistoryPlan.Bag b = plan.bags().get(m.bag());
            Unit u = m.step() == DemoHistoryPlan.Step.RELEASE ? newUnit(b) : em.find(Unit.class, ids.get(m.bag()));
            switch (m.step()) {
                case RELEASE -> {
                    ledger.record(u, MovementType.RECEIVED, UnitStatus.AVAILABLE, LocationId.STATION, details(m));
                    ids.put(m.bag(), u.id);
                }
                case DISPATCH -> ledger.record(u, MovementType.DISPATCHED, UnitStatus.IN_TRANSIT, u.locationId, details(m));
                case RECEIPT -> {
                    ledger.record(u, MovementType.RECEIVED_AT_HOSPITAL, UnitStatus.AVAILABLE, m.location(), details(m));
                    received.merge(m.location(), 1, Integer::sum);
                }
                case TRANSFUSE -> {
                    ledger.record(u, MovementType.TRANSFUSED, UnitStatus.TRANSFUSED, u.locationId, details(m));
                    transfused++;
                }
                case DISCARD -> {
                    ledger.record(u, MovementType.DISCARDED, UnitStatus.DISCARDED, u.locationId, details(m));
                    wasted.merge(m.code(), 1, Integer::sum);
                }
                case EXPIRE -> {
                    ledger.record(u, MovementType.EXPIRED, UnitStatus.EXPIRED, u.locationId, details(m));
                    wasted.merge(m.code(), 1, Integer::sum);
                }
                case RETURN -> {
                    ledger.record(u, MovementType.RETURNED_TO_STOCK, UnitStatus.AVAILABLE, LocationId.STATION, details(m));
                    returned++;
                }
            }
        }
        em.flush();
        Number left = (Number) em.createNativeQuery("select count(*) from unit where status = 'AVAILABLE'").getSingleResult();
        return new Summary(plan.bags().size(), plan.moves().size(), transfused, returned, left.intValue(),
                Map.copyOf(received), Map.copyOf(wasted));
    }

    private static StockLedger.Details details(DemoHistoryPlan.Move m) {
        return new StockLedger.Details(null, m.reason(), m.patientRef(), ACTOR, m.at(), m.code());
    }

    private static Unit newUnit(DemoHistoryPlan.Bag b) {
        Unit u = new Unit();
        u.din = b.din();
        u.component = b.component();
        u.division = "";
        u.abo = b.abo();
        u.rhd = b.rhd();
        u.volumeMl = b.volumeMl();
        u.quantity = b.quantity();
        u.uom = b.component().uom();
        u.collectedAt = b.collectedAt();
        u.expiresAt = b.expiresAt();
        u.attributes(UnitAttributes.NONE);
        return u;
    }
}
