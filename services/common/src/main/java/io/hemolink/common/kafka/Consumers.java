package io.hemolink.common.kafka;

import io.hemolink.common.deadletter.DeadLetters;
import io.hemolink.common.domain.DomainException;
import io.hemolink.common.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * How every consumer treats failure, in one place; each {@code @Incoming @Blocking(ordered = true)} method hands its
 * record to {@link #process} (or, on a {@code batch=true} channel, its poll to {@link #processBatch}):
 * <ul>
 *   <li>an event that can never be processed (unreadable, unknown, invalid: {@link PoisonEventException}, or a
 *   {@link DomainException} refusing it, which would refuse it again) is thrown on, so the connector's failure
 *   strategy puts it on {@code <topic>.dlq} and the partition goes on;</li>
 *   <li>any other failure (lost database connection, lock timeout, deadlock, broker) is retried in a fresh
 *   transaction after a pause that doubles from {@code hemolink.consumers.initial-backoff} to
 *   {@code max-backoff}, for as long as it takes: the partition waits, nothing is skipped, nothing goes to the
 *   dead-letter topic. Meanwhile the channel is named with its last error by the readiness check
 *   ({@link ConsumersHealthCheck}) and every retry counts in {@code hemolink_consumer_retries_total{channel}}.</li>
 * </ul>
 * Each record is worked on in a span continuing the trace its {@code traceparent} header names (ADR 0031), so the
 * events its effect commits carry that trace on; the connector's own tracing is off, so there is one span per event.
 * At shutdown a waiting event is given up with {@link StoppedException}, which the failure strategy neither
 * dead-letters nor commits ({@link DeadLetterStrategy}): the next start reads it again.
 */
@ApplicationScoped
public class Consumers {

    private static final Logger LOG = Logger.getLogger(Consumers.class);

    /** A channel that cannot make progress: since when, how many attempts failed, the last error. */
    public record Stall(Instant since, long failedAttempts, String lastError) {

        /** How a readiness check names it: since when, how many failed attempts, the last error. */
        public String describe() {
            return "since " + since + ", " + failedAttempts + " failed attempt(s), last error " + lastError;
        }
    }

    /** The application stops while an event waits for its retry; not a failure of the event. */
    public static final class StoppedException extends RuntimeException {
        StoppedException(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    ConsumersConfig config;

    @Inject
    DeadLetters deadLetters;

    /** The transaction's persistence context, if the service has one (every service does; the tests' apps too). */
    @Inject
    Instance<EntityManager> entityManagers;

    @Inject
    MeterRegistry registry;

    /** quarkus-opentelemetry's tracer; a no-op one if a build leaves OpenTelemetry out (trace context still goes on). */
    @Inject
    Instance<Tracer> tracers;

    private volatile Tracer tracer;

    private final Map<String, Stall> stalls = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Applies {@code effect} to the record's event in a transaction of its own per attempt (see the class comment). */
    public void process(String channel, ConsumerRecord<String, String> record, Consumer<InboundEvent> effect) {
        attempt(channel, record, event -> QuarkusTransaction.requiringNew().run(() -> effect.accept(event)));
    }

    /**
     * A whole poll of a {@code batch=true} channel in one transaction (ADR 0041): each record's effect in a span of its
     * own, one commit for all, then the poll is acknowledged. Duplicates inside the poll are the effects' to skip, as
     * always ({@code ProcessedEvents.once} sees its own transaction's rows). When that transaction fails, for whatever
     * reason, nothing of it stays and the poll is worked again one record per transaction, in order, exactly as
     * {@link #process} works a record: a failure that may pass is retried there for as long as it takes, and an event
     * that can never be processed goes alone to its dead-letter topic ({@link DeadLetters#deadLetter}, the same
     * headers as the connector's strategy) while the others go on. The connector is never asked to dead-letter the
     * batch, which would dead-letter every record of it. At shutdown the poll is left unacknowledged for the next start.
     */
    public CompletionStage<Void> processBatch(String channel, KafkaRecordBatch<String, String> batch,
                                              Consumer<InboundEvent> effect) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (KafkaRecord<String, String> r : batch.getRecords()) {
            records.add(r.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow().getRecord());
        }
        try {
            if (!records.isEmpty() && !together(channel, records, effect)) {
                for (ConsumerRecord<String, String> r : records) {
                    try {
                        attempt(channel, r, event -> QuarkusTransaction.requiringNew().run(() -> effect.accept(event)));
                    } catch (StoppedException stopped) {
                        throw stopped;
                    } catch (RuntimeException never) {
                        deadLetter(channel, r, never); // attempt throws on only for an event that can never be processed
                    }
                }
            }
            return batch.ack();
        } catch (StoppedException stopped) {
            return batch.nack(stopped); // the failure strategy neither dead-letters nor commits it (DeadLetterStrategy)
        }
    }

    /** The poll in one transaction; false when it failed (nothing of it was committed). */
    private boolean together(String channel, List<ConsumerRecord<String, String>> records, Consumer<InboundEvent> effect) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (ConsumerRecord<String, String> r : records) {
                    traced(channel, r, span -> effect.accept(readIn(r, span)));
                    detachAll();
                }
            });
            recovered(channel);
            meter(batches, "hemolink.consumer.batches", "Polls of a batch consumer applied in one transaction", channel)
                    .increment();
            return true;
        } catch (RuntimeException failure) {
            if (stopping) {
                throw new StoppedException(channel + " stops with a poll of " + records.size() + " not processed");
            }
            meter(fallbacks, "hemolink.consumer.batch.fallbacks",
                    "Polls of a batch consumer worked again one event per transaction after the poll's transaction failed",
                    channel).increment();
            LOG.infof("%s: the poll of %d event(s) from %s-%d@%d failed together (%s); one event per transaction now",
                    channel, records.size(), records.get(0).topic(), records.get(0).partition(),
                    records.get(0).offset(), describe(failure));
            return false;
        }
    }

    /**
     * Writes what the record's effect changed and empties the persistence context, so the next record of the poll does
     * not pay for the entities of every record before it: Hibernate dirty-checks every managed entity before each
     * query it runs (auto-flush), which made a poll of n orders cost n² checks (the order service's profile, ADR 0041).
     */
    private void detachAll() {
        if (entityManagers.isResolvable()) {
            EntityManager em = entityManagers.get();
            em.flush();
            em.clear();
        }
    }

    /** Puts the poison record on its dead-letter topic, retrying while the broker refuses it. */
    private void deadLetter(String channel, ConsumerRecord<String, String> record, RuntimeException never) {
        Duration pause = config.initialBackoff();
        for (long attempt = 1; ; attempt++) {
            try {
                deadLetters.deadLetter(record, never);
                recovered(channel);
                return;
            } catch (RuntimeException failure) {
                String error = describe(failure);
                long failed = attempt;
                stalls.compute(channel, (c, s) -> new Stall(s == null ? Instant.now() : s.since(), failed, error));
                LOG.warnf("%s: could not dead-letter %s-%d@%d (attempt %d): %s", channel, record.topic(),
                        record.partition(), record.offset(), attempt, error);
            }
            sleep(channel, null, pause);
            pause = pause.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : pause.multipliedBy(2);
        }
    }

    private final Map<String, Counter> batches = new ConcurrentHashMap<>();
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();

    private Counter meter(Map<String, Counter> counters, String name, String description, String channel) {
        return counters.computeIfAbsent(channel, c -> Counter.builder(name).description(description).tag("channel", c)
                .register(registry));
    }

    /** The same failure semantics for a consumer whose effect is not in the database (e.g. an in-memory fan-out). */
    public void processWithoutTransaction(String channel, ConsumerRecord<String, String> record,
                                          Consumer<InboundEvent> effect) {
        attempt(channel, record, effect);
    }

    private Tracer tracer() {
        Tracer t = tracer;
        if (t == null) {
            t = tracers.isResolvable() ? tracers.get() : OpenTelemetry.noop().getTracer("io.hemolink.common");
            tracer = t;
        }
        return t;
    }

    /** The channels that cannot make progress now, by name. */
    public Map<String, Stall> stalls() {
        return new TreeMap<>(stalls);
    }

    /**
     * The work on one record, in a span of its own (ADR 0031): a child of the span that committed the event when the
     * record carries its {@code traceparent}, otherwise the root of a new trace. It is current while the effect runs,
     * so what the effect commits to the outbox carries the same trace on, and the logs show its trace and span ids.
     */
    private void attempt(String channel, ConsumerRecord<String, String> record, Consumer<InboundEvent> effect) {
        traced(channel, record, span -> attemptInSpan(channel, record, effect, span));
    }

    /** {@code work} in the record's span (see {@link #attempt}); a failure is recorded on the span and thrown on. */
    private void traced(String channel, ConsumerRecord<String, String> record, Consumer<Span> work) {
        Span span = tracer().spanBuilder(record.topic() + " process")
                .setParent(Traces.remote(Traces.of(record.headers())))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("hemolink.channel", channel)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            work.accept(span);
        } catch (RuntimeException e) {
            if (!(e instanceof StoppedException)) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            throw e;
        } finally {
            span.end();
        }
    }

    /** The record's event, named on its span; unreadable: poison, thrown on to the dead-letter topic. */
    private static InboundEvent readIn(ConsumerRecord<String, String> record, Span span) {
        InboundEvent event = InboundEvent.of(record);
        span.setAttribute("messaging.message.id", event.id());
        span.setAttribute("cloudevents.event_type", event.type());
        return event;
    }

    private void attemptInSpan(String channel, ConsumerRecord<String, String> record, Consumer<InboundEvent> effect,
                               Span span) {
        InboundEvent event = readIn(record, span);
        Duration pause = config.initialBackoff();
        for (long attempt = 1; ; attempt++) {
            try {
                effect.accept(event);
                recovered(channel);
                return;
            } catch (RuntimeException failure) {
                RuntimeException never = deterministic(channel, event, failure);
                if (never != null) {
                    recovered(channel);
                    LOG.warnf("%s: event %s (%s) at %s-%d@%d can never be processed, not retried: %s",
                            channel, event.id(), event.type(), record.topic(), record.partition(), record.offset(),
                            never.getMessage());
                    throw never;
                }
                stalled(channel, event, record, failure, attempt, pause);
                span.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), attempt,
                        AttributeKey.stringKey("error"), describe(failure)));
            }
            sleep(channel, event, pause);
            pause = pause.multipliedBy(2);
            if (pause.compareTo(config.maxBackoff()) > 0) {
                pause = config.maxBackoff();
            }
        }
    }

    /** The failure as the exception that sends the event to the dead-letter topic, or null when it may pass. */
    private static RuntimeException deterministic(String channel, InboundEvent event, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEventException poison) {
                return poison;
            }
            if (t instanceof DomainException refused) {
                return new PoisonEventException(channel + " refused event " + event.id() + " (" + event.type() + "): "
                        + refused.code() + " " + refused.getMessage(), refused);
            }
        }
        return null;
    }

    private void stalled(String channel, InboundEvent event, ConsumerRecord<String, String> record, Throwable failure,
                         long attempt, Duration pause) {
        String error = describe(failure);
        stalls.compute(channel, (c, s) -> new Stall(s == null ? Instant.now() : s.since(), attempt, error));
        retries.computeIfAbsent(channel, c -> Counter.builder("hemolink.consumer.retries")
                .description("Attempts of a consumer that failed for a reason that may pass and are retried")
                .tag("channel", c).register(registry)).increment();
        if (attempt == 1) {
            LOG.warnf(failure, "%s: event %s (%s) at %s-%d@%d failed, retrying in %d ms", channel, event.id(),
                    event.type(), record.topic(), record.partition(), record.offset(), pause.toMillis());
        } else {
            LOG.warnf("%s: event %s still failing after %d attempts (%s), retrying in %d ms", channel, event.id(),
                    attempt, error, pause.toMillis());
        }
    }

    private void recovered(String channel) {
        Stall was = stalls.remove(channel);
        if (was != null) {
            LOG.infof("%s: making progress again after %d failed attempts since %s", channel, was.failedAttempts(),
                    was.since());
        }
    }

    private void sleep(String channel, InboundEvent event, Duration pause) {
        String what = event == null ? "a dead letter" : "event " + event.id();
        if (stopping) {
            throw new StoppedException(channel + " stops with " + what + " not processed");
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException(channel + " interrupted with " + what + " not processed");
        }
        if (stopping) {
            throw new StoppedException(channel + " stops with " + what + " not processed");
        }
    }

    /** The innermost cause's class and message: what an operator needs, e.g. "PSQLException: connection refused". */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return root.getClass().getSimpleName() + message;
    }
}
