package io.hemolink.notification.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.common.kafka.PoisonEventException;
import io.hemolink.common.tracing.Traces;
import io.hemolink.common.tx.AfterCommit;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.RecallIssued;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.hemolink.contracts.events.inventory.SupplyAlertCleared;
import io.hemolink.contracts.events.inventory.SupplyAlertRaised;
import io.hemolink.contracts.events.order.OrderStatusChanged;
import io.hemolink.notification.delivery.DeliveryWorker;
import io.hemolink.notification.domain.Deliveries;
import io.hemolink.notification.domain.Deliveries.Audience;
import io.hemolink.notification.domain.EventKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Turns a consumed event into deliveries, in the consumer's transaction: which subscriptions receive it (tenancy:
 * a subscriber only ever receives its own location's events, the station's subscriptions every location's) and
 * the CloudEvent each is sent as. The CloudEvent keeps the platform event's own attributes: {@code id} is the
 * Kafka event's {@code ce_id} (the same on every attempt and for every subscriber), {@code type} its
 * {@code ce_type} (e.g. {@code io.hemolink.order.status-changed.v1}), {@code source}, {@code time} and
 * {@code subject} its own; the extension {@code hemolinkevent} names the subscription's event kind (ALERT...), and
 * {@code traceparent}/{@code tracestate} (also sent as HTTP headers) the trace of the consumer's work on the event.
 */
@ApplicationScoped
public class WebhookEvents {

    static final String REGION = "REGION";

    @Inject
    Deliveries deliveries;

    @Inject
    ObjectMapper mapper;

    @Inject
    AfterCommit afterCommit;

    @Inject
    DeliveryWorker worker;

    /** ORDER_STATUS: to the order's location and the station. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void orderStatus(InboundEvent event, OrderStatusChanged changed) {
        fanOut(EventKind.ORDER_STATUS, audience(changed.locationId()), event, tree(event.payload()));
    }

    /** ALERT: a REGION alert to every location's subscribers, a location's to that location's and the station's. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void alertRaised(InboundEvent event, SupplyAlertRaised raised) {
        fanOut(EventKind.ALERT, audience(raised.scope()), event, tree(event.payload()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void alertCleared(InboundEvent event, SupplyAlertCleared cleared) {
        fanOut(EventKind.ALERT, audience(cleared.scope()), event, tree(event.payload()));
    }

    /** RECRUITMENT: the station's subscriptions only (its donor system). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recruitment(InboundEvent event) {
        fanOut(EventKind.RECRUITMENT, Audience.of(LocationId.STATION), event, tree(event.payload()));
    }

    /** STOCK_LEVEL: a location's level to it and the station; a REGION total to everyone. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void stockLevel(InboundEvent event, StockLevelChanged level) {
        fanOut(EventKind.STOCK_LEVEL, audience(level.locationId()), event, tree(event.payload()));
    }

    /**
     * RECALL: the station gets the whole recall; each location holding one of its units gets it with only its own
     * units in it (as {@code GET /recalls} shows a holder), one fan-out per holder.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recall(InboundEvent event, RecallIssued recall) {
        JsonNode whole = tree(event.payload());
        fanOut(EventKind.RECALL, Audience.of(LocationId.STATION), event, whole);
        List<RecallIssued.RecalledUnit> units = recall.units() == null ? List.of() : recall.units();
        TreeSet<String> holders = new TreeSet<>();
        units.stream().map(RecallIssued.RecalledUnit::locationId).filter(Objects::nonNull)
                .filter(l -> !LocationId.isStation(l)).forEach(holders::add);
        for (String holder : holders) {
            RecallIssued own = new RecallIssued(recall.recallId(), recall.din(), recall.reason(),
                    units.stream().filter(u -> holder.equals(u.locationId())).toList(), recall.createdBy(),
                    recall.createdAt());
            fanOut(EventKind.RECALL, Audience.of(holder), event, mapper.valueToTree(own));
        }
    }

    /** REGION: every location; a location: it and the station; none named (never sent so): the station only. */
    static Audience audience(String location) {
        if (REGION.equals(location)) {
            return Audience.everyone();
        }
        return location == null || LocationId.isStation(location) ? Audience.of(LocationId.STATION)
                : Audience.of(location, LocationId.STATION);
    }

    private void fanOut(EventKind kind, Audience audience, InboundEvent event, JsonNode data) {
        Traces.TraceContext trace = Traces.current(); // the consumer's span, a child of the event's own trace
        String body = cloudEvent(kind, event, data, trace);
        if (deliveries.fanOut(kind, audience, event.id(), event.type(), body, trace) > 0) {
            afterCommit.collect("webhook-wake", Boolean.TRUE, ignored -> worker.wake());
        }
    }

    /** The structured-mode CloudEvent (JSON) sent for {@code event}, the same bytes on every attempt. */
    String cloudEvent(EventKind kind, InboundEvent event, JsonNode data, Traces.TraceContext trace) {
        ObjectNode ce = mapper.createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", event.id());
        ce.put("type", event.type());
        ce.put("source", event.source() == null ? "/hemolink/notification" : event.source());
        ce.put("time", event.time() == null ? Instant.now().toString() : event.time());
        String subject = event.subject() != null ? event.subject() : event.key();
        if (subject != null) {
            ce.put("subject", subject);
        }
        ce.put("datacontenttype", "application/json");
        ce.put("hemolinkevent", kind.name());
        if (trace != null) {
            // the CloudEvents distributed-tracing extension, as on the platform's Kafka records (ADR 0031)
            ce.put("traceparent", trace.traceparent());
            if (trace.tracestate() != null) {
                ce.put("tracestate", trace.tracestate());
            }
        }
        ce.set("data", data);
        try {
            return mapper.writeValueAsString(ce);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a CloudEvent could not be written", e);
        }
    }

    private JsonNode tree(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("unreadable payload: " + e.getOriginalMessage());
        }
    }

    /** The kinds each event type is delivered as (for the consumers' filters). */
    static boolean delivered(String ceType) {
        return Events.ORDER_STATUS_CHANGED.ceType().equals(ceType) || Events.SUPPLY_ALERT_RAISED.ceType().equals(ceType)
                || Events.SUPPLY_ALERT_CLEARED.ceType().equals(ceType)
                || Events.RECRUITMENT_REQUESTED.ceType().equals(ceType) || Events.RECALL_ISSUED.ceType().equals(ceType)
                || Events.STOCK_LEVEL_CHANGED.ceType().equals(ceType);
    }
}
