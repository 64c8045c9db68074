package io.hemolink.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C trace context (ADR 0031) as it travels with an event: the {@code traceparent} (and {@code tracestate}, if any)
 * of the work that committed it, stored with its outbox row, sent as Kafka headers of the same names (the CloudEvents
 * distributed-tracing extension), and resumed by whoever acts on it later (a consumer, an allocation lane).
 * Only the trace context crosses: never baggage, never anything personal.
 */
public final class Traces {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    /** A trace context as carried: {@code traceparent} and the optional {@code tracestate} (null when empty). */
    public record TraceContext(String traceparent, String tracestate) {

        /** The 32 hex digits of the trace id, or null when {@code traceparent} is not a W3C trace parent. */
        public String traceId() {
            return Traces.traceId(traceparent);
        }
    }

    private Traces() {
    }

    /** The trace context of the current span, or null when there is none (e.g. a scheduled job outside any trace). */
    public static TraceContext current() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.current(), carrier, Map::put);
        String parent = carrier.get(TRACEPARENT);
        if (parent == null) {
            return null;
        }
        String state = carrier.get(TRACESTATE);
        return new TraceContext(parent, state == null || state.isEmpty() ? null : state);
    }

    /**
     * The context whose parent is the remote span {@code carried} names, on no other context (so stray state of the
     * thread never leaks in); the root context when there is nothing valid to continue.
     */
    public static Context remote(TraceContext carried) {
        if (carried == null || carried.traceparent() == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>(2);
        carrier.put(TRACEPARENT, carried.traceparent());
        if (carried.tracestate() != null) {
            carrier.put(TRACESTATE, carried.tracestate());
        }
        return W3C.extract(Context.root(), carrier, MapGetter.INSTANCE);
    }

    /** The trace context a Kafka record carries in its headers, or null when it carries none. */
    public static TraceContext of(Headers headers) {
        String parent = header(headers, TRACEPARENT);
        return parent == null ? null : new TraceContext(parent, header(headers, TRACESTATE));
    }

    /**
     * Makes {@code carried} the current context until the scope is closed, for work done later on behalf of what
     * carried it (e.g. an allocation lane publishing an order's allocation): what it commits to the outbox then
     * carries that trace on. Nothing changes when {@code carried} is null.
     */
    public static Scope resume(TraceContext carried) {
        if (carried == null) {
            return Scope.noop();
        }
        return remote(carried).makeCurrent();
    }

    /** The trace id of a W3C {@code traceparent} ({@code version-traceid-parentid-flags}), or null. */
    public static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.trim().split("-");
        return parts.length >= 4 && parts[1].length() == 32 ? parts[1] : null;
    }

    private static String header(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        if (h == null || h.value() == null || h.value().length == 0) {
            return null;
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private enum MapGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return List.copyOf(carrier.keySet());
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    }
}
