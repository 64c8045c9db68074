package io.hemolink.notification.api;

import io.hemolink.notification.domain.Deliveries;
import io.hemolink.notification.domain.EventKind;
import io.hemolink.notification.domain.Subscriptions;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The JSON of the subscriptions API (api.md, "Push: subscriptions and live alerts"). */
public final class Dtos {

    private Dtos() {
    }

    @Schema(name = "NewSubscription")
    public record NewSubscription(
            @Schema(description = "Absolute http or https URL the events are POSTed to; its host must be allowed",
                    example = "https://his.h001.example/hemolink/webhooks") String url,
            @Schema(description = "Event kinds: ORDER_STATUS, ALERT, RECALL, STOCK_LEVEL, RECRUITMENT (the station only)")
            List<String> events,
            @Schema(description = "The location whose events are delivered: a hospital's own (default); the station's"
                    + " any location, or STATION (default) for every location's", nullable = true) String locationId) {
    }

    @Schema(name = "Subscription")
    public record SubscriptionView(
            String id,
            String url,
            List<EventKind> events,
            String locationId,
            @Schema(description = "The signing secret: in the answer that created the subscription only (null in a"
                    + " replay of that answer and never in a GET); HMAC-SHA256 key of Hemolink-Signature",
                    nullable = true) String secret,
            Instant createdAt,
            String createdBy) {

        static SubscriptionView of(Subscriptions.Subscription s, String secret) {
            return new SubscriptionView(s.id().toString(), s.url(), s.events(), s.locationId(), secret, s.createdAt(),
                    s.createdBy());
        }
    }

    @Schema(name = "SubscriptionList")
    public record SubscriptionList(List<SubscriptionView> items,
                                   @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "Delivery")
    public record DeliveryView(
            @Schema(description = "The CloudEvent's id: the platform event's id, the same on every attempt") String eventId,
            @Schema(description = "The CloudEvent's type, e.g. io.hemolink.inventory.supply-alert-raised.v1") String type,
            EventKind event,
            @Schema(description = "PENDING (to be sent or retried), DELIVERED (answered 2xx) or FAILED (given up)",
                    enumeration = {"PENDING", "DELIVERED", "FAILED"}) String status,
            int attempts,
            @Schema(description = "What the last attempt got: HTTP 503, timeout, connection refused, not sent: ...",
                    nullable = true) String lastStatus,
            Instant createdAt,
            @Schema(nullable = true) Instant deliveredAt,
            @Schema(description = "When it is tried next (null once delivered or given up)", nullable = true)
            Instant nextAttemptAt) {

        static DeliveryView of(Deliveries.Delivery d) {
            return new DeliveryView(d.eventId(), d.ceType(), d.event(), d.status(), d.attempts(), d.lastStatus(),
                    d.createdAt(), d.deliveredAt(), d.nextAttemptAt());
        }
    }

    @Schema(name = "DeliveryList")
    public record DeliveryList(List<DeliveryView> items, @Schema(nullable = true) String nextCursor) {
    }
}
