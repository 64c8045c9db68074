package io.hemolink.common.outbox;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.tracing.Traces;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static io.hemolink.common.db.SqlValues.instant;

/**
 * Publishes the outbox to Kafka. One relay at a time per database (a transaction-scoped advisory lock), rows in
 * {@code seq} order, the next batch only after the broker acknowledged the previous one, so events of one key keep
 * their order. Woken right after each commit; polls as a safety net, so events committed before a crash go out
 * after the restart. Delivery is at least once: consumers are idempotent ({@code ProcessedEvents}).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** pg advisory lock id of the relay: "HEMO" in ASCII. */
    private static final long RELAY_LOCK = 0x48454D4FL;

    @Inject
    OutboxConfig config;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    private final Semaphore signal = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread worker;
    private volatile KafkaProducer<String, String> producer;
    private Timer lag;

    void onStart(@Observes StartupEvent event) {
        lag = Timer.builder("hemolink.outbox.lag")
                .description("time from an event's commit to its acknowledgement by Kafka")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Gauge.builder("hemolink.outbox.pending", this, OutboxRelay::pendingSafely)
                .description("events committed but not yet published")
                .register(registry);
        if (config.relayEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the relay thread (called on start-up when enabled). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::loop, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
        wakeUp();
    }

    public synchronized void stop() {
        running = false;
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            try {
                w.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
        KafkaProducer<String, String> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to look at the outbox now (after a commit). */
    public void wakeUp() {
        if (config.publishAfterCommit() && signal.availablePermits() == 0) {
            signal.release();
        }
    }

    private void loop() {
        long backoff = 0;
        while (running) {
            try {
                signal.tryAcquire(backoff > 0 ? backoff : config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
                if (!running) {
                    break;
                }
                drain();
                backoff = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                backoff = Math.min(Math.max(backoff * 2, 200), config.pollInterval().toMillis() * 5);
                LOG.warnf("outbox relay could not publish (%s); retrying in %d ms", e.getMessage(), backoff);
                closeProducerAfterFailure();
            }
        }
    }

    /** Publishes everything pending; returns how many events went out. Safe to call from any thread. */
    public int drain() {
        int total = 0;
        while (true) {
            Batch batch = QuarkusTransaction.requiringNew().call(this::publishBatch);
            total += batch.sent();
            if (batch.failure() != null) {
                // what was acknowledged is marked sent; the rest is retried later, in order
                throw batch.failure();
            }
            if (batch.sent() < config.batchSize()) {
                return total;
            }
        }
    }

    /** Events committed and not yet published. */
    public long pending() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from outbox_event where sent_at is null")
                .getSingleResult()).longValue());
    }

    private double pendingSafely() {
        try {
            return pending();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private record Batch(int sent, RuntimeException failure) {
    }

    @SuppressWarnings("unchecked")
    private Batch publishBatch() {
        Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return new Batch(0, null);
        }
        List<Object[]> rows = em.createNativeQuery("select seq, id, topic, message_key, ce_type, ce_source, ce_subject,"
                        + " payload, occurred_at, traceparent, tracestate from outbox_event where sent_at is null order by seq limit ?1")
                .setParameter(1, config.batchSize())
                .getResultList();
        if (rows.isEmpty()) {
            return new Batch(0, null);
        }
        KafkaProducer<String, String> p = producer();
        List<Future<RecordMetadata>> futures = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            futures.add(p.send(record(row)));
        }
        p.flush();
        List<Long> sent = new ArrayList<>(rows.size());
        RuntimeException failure = null;
        for (int i = 0; i < rows.size(); i++) {
            try {
                futures.get(i).get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                sent.add(((Number) rows.get(i)[0]).longValue());
                Instant occurred = instant(rows.get(i)[8]);
                lag.record(Duration.between(occurred, Instant.now()));
            } catch (Exception e) {
                failure = new IllegalStateException("Kafka did not acknowledge " + rows.get(i)[4] + ": " + e.getMessage(), e);
                break;
            }
        }
        if (!sent.isEmpty()) {
            em.createNativeQuery("update outbox_event set sent_at = now() where seq in (:seqs)")
                    .setParameter("seqs", sent)
                    .executeUpdate();
        }
        return new Batch(sent.size(), failure);
    }

    private ProducerRecord<String, String> record(Object[] row) {
        String id = row[1].toString();
        String topic = (String) row[2];
        String key = (String) row[3];
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, (String) row[7]);
        header(record, CloudEventHeaders.SPEC_VERSION, "1.0");
        header(record, CloudEventHeaders.ID, id);
        header(record, CloudEventHeaders.TYPE, (String) row[4]);
        header(record, CloudEventHeaders.SOURCE, (String) row[5]);
        header(record, CloudEventHeaders.TIME, instant(row[8]).toString());
        if (row[6] != null) {
            header(record, CloudEventHeaders.SUBJECT, (String) row[6]);
        }
        header(record, CloudEventHeaders.CONTENT_TYPE, "application/json");
        // the CloudEvents distributed-tracing extension, under the header name W3C and OpenTelemetry use (ADR 0031)
        if (row[9] != null) {
            header(record, Traces.TRACEPARENT, (String) row[9]);
            if (row[10] != null) {
                header(record, Traces.TRACESTATE, (String) row[10]);
            }
        }
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.LINGER_MS_CONFIG, 0,
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.sendTimeout().toMillis(),
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis(),
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis(),
                            ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay",
                            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
                }
                p = producer;
            }
        }
        return p;
    }

    private synchronized void closeProducerAfterFailure() {
        KafkaProducer<String, String> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ZERO);
        }
    }
}
