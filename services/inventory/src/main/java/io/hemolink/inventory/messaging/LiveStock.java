package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Fans stock-level changes and supply alerts (raised, or cleared: a change of level is a clearing and a raising) out to
 * SSE subscribers of this instance. Every instance reads the compacted stock-level topic and the alerts topic with
 * groups of its own, so a subscriber sees changes committed through any instance; the outbox relay publishes right
 * after commit, which keeps the delay from commit to subscriber in the tens of milliseconds. An unreadable level or
 * alert is dropped (the channels' failure strategy is {@code ignore}: the next change of the key corrects the
 * picture, and {@code GET /alerts} always has the whole list).
 */
@ApplicationScoped
public class LiveStock {

    private final BroadcastProcessor<StockLevelChanged> changes = BroadcastProcessor.create();

    @Inject
    Consumers consumers;

    @Inject
    ObjectMapper mapper;

    @Inject
    io.hemolink.inventory.domain.StockPicture picture;

    @Incoming("stock-live")
    @Blocking(ordered = true)
    public void onLevel(ConsumerRecord<String, String> record) {
        consumers.processWithoutTransaction("stock-live", record, event -> {
            if (event.is(Events.STOCK_LEVEL_CHANGED)) {
                picture.changed(); // a level changed, maybe through another instance: the stock picture is read again
                changes.onNext(event.payload(Events.STOCK_LEVEL_CHANGED, mapper));
            }
        });
    }

    /**
     * An alert as the stream shows it (api.md): level and since of a cleared alert are those it had; a region alert's
     * recruitment as {@code GET /alerts} shows it at that moment (null when it has none).
     */
    public record AlertChange(String id, io.hemolink.contracts.blood.Component component,
                              io.hemolink.contracts.blood.Abo abo, io.hemolink.contracts.blood.RhD rhd, String scope,
                              io.hemolink.contracts.blood.Level level, java.time.Instant since,
                              java.time.Instant clearedAt,
                              io.hemolink.inventory.domain.SupplyAlerts.RecruitmentCounts recruitment) {
    }

    private final BroadcastProcessor<AlertChange> alerts = BroadcastProcessor.create();

    @Inject
    io.hemolink.inventory.domain.SupplyAlerts supplyAlerts;

    @Incoming("alerts-live")
    @Blocking(ordered = true)
    public void onAlert(ConsumerRecord<String, String> record) {
        consumers.processWithoutTransaction("alerts-live", record, event -> {
            if (event.is(Events.SUPPLY_ALERT_RAISED)) {
                var raised = event.payload(Events.SUPPLY_ALERT_RAISED, mapper);
                // the request is written in the raising transaction, so it is there once the raise is published
                var recruitment = io.hemolink.inventory.domain.SupplyAlerts.REGION.equals(raised.scope())
                        ? supplyAlerts.find(java.util.UUID.fromString(raised.alertId()))
                        .map(io.hemolink.inventory.domain.SupplyAlerts.Alert::recruitment).orElse(null)
                        : null;
                alerts.onNext(new AlertChange(raised.alertId(), raised.component(), raised.abo(), raised.rhd(),
                        raised.scope(), raised.level(), raised.since(), null, recruitment));
            } else if (event.is(Events.SUPPLY_ALERT_CLEARED)) {
                var cleared = event.payload(Events.SUPPLY_ALERT_CLEARED, mapper);
                var was = supplyAlerts.find(java.util.UUID.fromString(cleared.alertId()));
                alerts.onNext(new AlertChange(cleared.alertId(), cleared.component(), cleared.abo(), cleared.rhd(),
                        cleared.scope(), was.map(io.hemolink.inventory.domain.SupplyAlerts.Alert::level).orElse(null),
                        was.map(io.hemolink.inventory.domain.SupplyAlerts.Alert::since).orElse(null),
                        cleared.clearedAt(),
                        was.map(io.hemolink.inventory.domain.SupplyAlerts.Alert::recruitment).orElse(null)));
            }
        });
    }

    /** Alerts raised or cleared from now on (hot: a new subscriber reads GET /alerts first). */
    public Multi<AlertChange> alerts() {
        return alerts;
    }

    /** Changes from now on (hot: a new subscriber gets the current picture from GET /stock first). */
    public Multi<StockLevelChanged> changes() {
        return changes;
    }
}
