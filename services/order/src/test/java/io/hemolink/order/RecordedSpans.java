package io.hemolink.order;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;

/** The spans the service ended, as an OTLP collector would receive them (tests only; the most recent 10,000). */
@Singleton
@Unremovable
public class RecordedSpans implements SpanExporter {

    private final ConcurrentLinkedDeque<SpanData> spans = new ConcurrentLinkedDeque<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
        while (spans.size() > 10_000) {
            spans.pollFirst();
        }
        return CompletableResultCode.ofSuccess();
    }

    /** The first span that matches, waiting for the batch processor to hand it over. */
    public Optional<SpanData> await(Predicate<SpanData> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<SpanData> found = List.copyOf(spans).stream().filter(match).findFirst();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found;
            }
            OrderTesting.sleep(100);
        }
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
