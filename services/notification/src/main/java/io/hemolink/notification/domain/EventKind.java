package io.hemolink.notification.domain;

/** What a subscription can ask for (api.md, "Push: subscriptions and live alerts"). */
public enum EventKind {
    /** every status move of the subscriber's orders (OrderStatusChanged) */
    ORDER_STATUS,
    /** region supply alerts and the subscriber's own, raised and cleared (SupplyAlertRaised, SupplyAlertCleared) */
    ALERT,
    /** recalls naming the subscriber's units, with only its own units in them (RecallIssued) */
    RECALL,
    /** the subscriber's own stock levels and the region's totals (StockLevelChanged) */
    STOCK_LEVEL,
    /** recruitment requests of region alerts (RecruitmentRequested): the station's donor system only */
    RECRUITMENT
}
