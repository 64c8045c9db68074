package io.hemolink.common.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * Spans go nowhere unless an OTLP collector is configured (ADR 0031): while {@code hemolink.traces.export} is
 * {@code off} (its value when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is not set) this exporter is the application's
 * {@code SpanExporter} bean, and Quarkus leaves its OTLP exporter out when the application provides one, so nothing
 * tries to reach a collector that is not there. Trace context is still created and propagated (HTTP, Kafka
 * headers, log MDC): only the export is off.
 */
@Singleton
@Unremovable
@LookupIfProperty(name = "hemolink.traces.export", stringValue = "off", lookupIfMissing = true)
public class NoSpanExport implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
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
