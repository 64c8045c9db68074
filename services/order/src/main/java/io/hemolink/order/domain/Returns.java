package io.hemolink.order.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.ReturnDecided;
import io.hemolink.contracts.events.order.ReturnRequested;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Returns (退血): the request is stored and {@code ReturnRequested} goes out in one transaction; the inventory decides
 * (it holds the bag and the rule) and answers with {@code ReturnDecided}, which is written into the return. A caller
 * may wait a short time for the decision: it is woken as soon as this instance commits the decision, and reads the
 * database in short slices in case another instance consumed it.
 */
@ApplicationScoped
public class Returns {

    private static final Logger LOG = Logger.getLogger(Returns.class);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @Inject
    Outbox outbox;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private final ConcurrentHashMap<String, CountDownLatch> waiting = new ConcurrentHashMap<>();

    /** The evidence of one return. */
    public record Request(String din, Component component, boolean sealIntact, boolean segmentAttached,
                          int minutesOutOfStorage, String reason) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UnitReturn request(String locationId, Request r, String actor, Instant now) {
        UnitReturn ret = new UnitReturn();
        ret.id = "RET-" + UUID.randomUUID();
        ret.locationId = locationId;
        ret.din = r.din();
        ret.component = r.component();
        ret.sealIntact = r.sealIntact();
        ret.segmentAttached = r.segmentAttached();
        ret.minutesOutOfStorage = r.minutesOutOfStorage();
        ret.reason = r.reason();
        ret.requestedBy = actor;
        ret.requestedAt = now;
        ret.persist();
        outbox.publish(Events.RETURN_REQUESTED, ret.din, "return/" + ret.id, new ReturnRequested(ret.id, locationId, ret.din,
                ret.component.name(), ret.sealIntact, ret.segmentAttached, ret.minutesOutOfStorage, ret.reason, actor, now));
        return ret;
    }

    /** The inventory's decision; the first one counts. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void decided(ReturnDecided d) {
        UnitReturn ret = d.returnId() == null ? null
                : UnitReturn.findById(d.returnId(), LockModeType.PESSIMISTIC_WRITE);
        if (ret == null) {
            LOG.warnf("decision for unknown return %s ignored", d.returnId());
            return;
        }
        if (ret.decision != null) {
            return;
        }
        ret.decision = d.decision();
        ret.decisionReason = d.reason();
        ret.decidedAt = d.at() == null ? Instant.now() : d.at();
        String id = ret.id;
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing to add
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    CountDownLatch latch = waiting.get(id);
                    if (latch != null) {
                        latch.countDown();
                    }
                }
            }
        });
    }

    /** The return as it stands after waiting at most {@code max} for its decision (outside any transaction). */
    public UnitReturn await(String id, Duration max) {
        CountDownLatch latch = waiting.computeIfAbsent(id, k -> new CountDownLatch(1));
        try {
            long deadline = System.nanoTime() + max.toNanos();
            while (true) {
                UnitReturn ret = QuarkusTransaction.requiringNew().call(() -> UnitReturn.<UnitReturn>findById(id));
                long left = deadline - System.nanoTime();
                if (ret == null || ret.decision != null || left <= 0) {
                    return ret;
                }
                latch.await(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return QuarkusTransaction.requiringNew().call(() -> UnitReturn.<UnitReturn>findById(id));
        } finally {
            waiting.remove(id, latch);
        }
    }
}
