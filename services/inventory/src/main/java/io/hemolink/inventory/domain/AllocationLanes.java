package io.hemolink.inventory.domain;

import io.hemolink.common.kafka.Consumers;
import io.hemolink.inventory.config.InventoryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The allocation lanes (ADR 0025): one worker per {@link Allocator.Lane}, each allocating its pending orders (recorded
 * by the order consumer) in transactions of up to a batch, highest priority first, until none is pending. The
 * priority lane (EMERGENCY, URGENT) never waits behind the routine lane's backlog: it has its own worker and its own
 * batches, and meets a routine transaction only on the lock of a stock key both touch (one short transaction). A lane
 * is woken after the commit that recorded an order, and looks on its own every {@code allocation.lanes.poll}. A
 * failed transaction changes nothing (the orders stay pending) and is retried after a pause that doubles up to 10 s:
 * an order is never dropped.
 */
@ApplicationScoped
public class AllocationLanes {

    private static final Logger LOG = Logger.getLogger(AllocationLanes.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    @Inject
    Allocator allocator;

    @Inject
    InventoryConfig config;

    @Inject
    MeterRegistry registry;

    private final Map<Allocator.Lane, Semaphore> signals = new EnumMap<>(Allocator.Lane.class);
    private final Map<Allocator.Lane, Thread> workers = new EnumMap<>(Allocator.Lane.class);
    private volatile boolean stopping;
    private Timer transaction;
    /** When each recorded order reached the consumer, for the server-side latency to its allocation's commit. */
    private final Map<String, Recorded> recorded = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<io.hemolink.contracts.blood.Priority, Timer> latency = new java.util.concurrent.ConcurrentHashMap<>();

    private record Recorded(io.hemolink.contracts.blood.Priority priority, long receivedNanos) {
    }

    /** The lanes whose transactions fail, as common's consumers keep their stalled channels. */
    private final Map<Allocator.Lane, Consumers.Stall> stalls = new java.util.concurrent.ConcurrentHashMap<>();

    /** The lanes that cannot make progress now (AllocationLanesHealth). */
    public Map<Allocator.Lane, Consumers.Stall> stalls() {
        return Map.copyOf(stalls);
    }

    void start(@Observes StartupEvent event) {
        transaction = Timer.builder("hemolink.allocation")
                .description("Time of one allocation transaction of a lane (a batch of pending orders), to its commit")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        for (Allocator.Lane lane : Allocator.Lane.values()) {
            signals.put(lane, new Semaphore(0));
            Thread t = new Thread(() -> run(lane), "hemolink-allocation-" + lane.name().toLowerCase());
            t.setDaemon(true);
            workers.put(lane, t);
            t.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        workers.values().forEach(Thread::interrupt);
    }

    /**
     * An order reached the consumer at {@code receivedNanos} ({@link System#nanoTime}) and is being recorded: its
     * allocation's commit is measured from then ({@code hemolink_allocation_latency_seconds{priority}}).
     */
    public void received(String orderId, io.hemolink.contracts.blood.Priority priority, long receivedNanos) {
        if (recorded.size() > 100_000) {
            recorded.clear(); // orders closed before their lane took them are never allocated: never grow unbounded
        }
        recorded.put(orderId, new Recorded(priority, receivedNanos));
    }

    private void allocated(Collection<String> orderIds) {
        long now = System.nanoTime();
        for (String id : orderIds) {
            Recorded r = recorded.remove(id);
            if (r != null) {
                latency.computeIfAbsent(r.priority(), p -> Timer.builder("hemolink.allocation.latency")
                        .description("From a submitted order reaching the consumer to its allocation committed")
                        .tag("priority", p.name()).publishPercentiles(0.5, 0.99).register(registry))
                        .record(now - r.receivedNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Orders of these lanes were recorded (called after the commit): their workers look now. */
    public void wake(Collection<Allocator.Lane> lanes) {
        for (Allocator.Lane lane : lanes) {
            Semaphore s = signals.get(lane);
            if (s != null && s.availablePermits() == 0) {
                s.release();
            }
        }
    }

    private int batch(Allocator.Lane lane) {
        return lane == Allocator.Lane.PRIORITY ? config.allocation().lanes().priorityBatch()
                : config.allocation().lanes().routineBatch();
    }

    private void run(Allocator.Lane lane) {
        Counter retries = Counter.builder("hemolink.allocation.retries")
                .description("Allocation transactions of a lane that failed and are retried").tag("lane", lane.name())
                .register(registry);
        Semaphore signal = signals.get(lane);
        Duration pause = Duration.ofMillis(100);
        long failures = 0;
        while (!stopping) {
            try {
                long t0 = System.nanoTime();
                java.util.Set<String> allocated = QuarkusTransaction.requiringNew()
                        .call(() -> allocator.drain(lane, batch(lane)));
                if (failures > 0) {
                    LOG.infof("allocation lane %s making progress again after %d failed attempts", lane, failures);
                    failures = 0;
                    pause = Duration.ofMillis(100);
                    stalls.remove(lane);
                }
                if (!allocated.isEmpty()) {
                    transaction.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    allocated(allocated);
                    continue; // more may be pending
                }
                signal.tryAcquire(config.allocation().lanes().poll().toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                failures++;
                retries.increment();
                Consumers.Stall was = stalls.get(lane);
                stalls.put(lane, new Consumers.Stall(was == null ? java.time.Instant.now() : was.since(), failures,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                if (failures == 1) {
                    LOG.warnf(e, "allocation lane %s failed; its orders stay pending, retrying in %d ms", lane,
                            pause.toMillis());
                } else {
                    LOG.warnf("allocation lane %s still failing after %d attempts (%s), retrying in %d ms", lane,
                            failures, e.getMessage(), pause.toMillis());
                }
                try {
                    // a wake-up (an order recorded: the database is back) ends the pause early
                    signal.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS);
                    signal.drainPermits();
                } catch (InterruptedException ie) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause.multipliedBy(2);
            }
        }
    }
}
