package io.hemolink.common.kafka;

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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * How every consumer treats failure, in one place; each {@code @Incoming @Blocking(ordered = true)} method hands its
 * record to {@link #process}:
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
            attemptInSpan(channel, record, effect, span);
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

    private void attemptInSpan(String channel, ConsumerRecord<String, String> record, Consumer<InboundEvent> effect,
                               Span span) {
        InboundEvent event = InboundEvent.of(record); // unreadable: poison, thrown on to the dead-letter topic
        span.setAttribute("messaging.message.id", event.id());
        span.setAttribute("cloudevents.event_type", event.type());
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
        if (stopping) {
            throw new StoppedException(channel + " stops with event " + event.id() + " not processed");
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException(channel + " interrupted with event " + event.id() + " not processed");
        }
        if (stopping) {
            throw new StoppedException(channel + " stops with event " + event.id() + " not processed");
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
