package io.hemolink.gateway;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * The gateway's spans go nowhere unless an OTLP collector is configured (ADR 0031), as the services' do
 * ({@code io.hemolink.common.tracing.NoSpanExport}; the gateway does not depend on services/common): while
 * {@code hemolink.traces.export} is {@code off} this is the application's {@code SpanExporter}, so Quarkus installs
 * no OTLP exporter. Trace context is still made and passed on to the services.
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
