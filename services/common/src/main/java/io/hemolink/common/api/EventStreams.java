package io.hemolink.common.api;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The services' server-sent event streams ({@code GET /stock/stream}, {@code GET /orders/stream}) built one way. */
public final class EventStreams {

    /** How often an idle stream gets a comment line, so proxies and load balancers do not close it. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private EventStreams() {
    }

    /** One event named {@code name} with {@code data} as JSON. */
    public static OutboundSseEvent json(Sse sse, String name, Object data) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(data).build();
    }

    /** The given streams merged, with a keep-alive comment every {@link #KEEP_ALIVE}. */
    @SafeVarargs
    public static Multi<OutboundSseEvent> merged(Sse sse, Multi<OutboundSseEvent>... streams) {
        List<Multi<OutboundSseEvent>> all = new ArrayList<>(List.of(streams));
        all.add(Multi.createFrom().ticks().every(KEEP_ALIVE).map(t -> sse.newEventBuilder().comment("keep-alive").build()));
        return Multi.createBy().merging().streams(all);
    }
}
