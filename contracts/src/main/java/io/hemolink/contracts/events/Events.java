package io.hemolink.contracts.events;

import io.hemolink.contracts.events.feewaiver.DonationRecorded;
import io.hemolink.contracts.events.feewaiver.SettlementClosed;
import io.hemolink.contracts.events.feewaiver.WaiverClaimed;
import io.hemolink.contracts.events.feewaiver.WaiverReversed;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.AllocationReleased;
import io.hemolink.contracts.events.inventory.RecruitmentRequested;
import io.hemolink.contracts.events.inventory.ReturnDecided;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.hemolink.contracts.events.inventory.SupplyAlertCleared;
import io.hemolink.contracts.events.inventory.SupplyAlertRaised;
import io.hemolink.contracts.events.inventory.UnitMoved;
import io.hemolink.contracts.events.order.DemandForecastUpdated;
import io.hemolink.contracts.events.order.OrderAmended;
import io.hemolink.contracts.events.order.OrderCancelled;
import io.hemolink.contracts.events.order.OrderDispatched;
import io.hemolink.contracts.events.order.OrderReceived;
import io.hemolink.contracts.events.order.OrderStatusChanged;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.contracts.events.order.ReturnRequested;
import io.hemolink.contracts.events.order.ServiceLevelBreached;
import io.hemolink.contracts.events.storage.ExcursionDetected;
import io.hemolink.contracts.events.storage.QuarantineDecided;
import io.hemolink.contracts.events.storage.ReplenishmentRequested;
import io.hemolink.contracts.events.storage.TemperatureReadingBatch;
import io.hemolink.contracts.events.storage.TransferRequested;
import io.hemolink.contracts.events.storage.UnitIssued;
import io.hemolink.contracts.events.storage.UnitPlaced;

import java.util.List;
import java.util.Optional;

/** Every event of the platform: topic, CloudEvents type and payload record, in one place. */
public final class Events {

    public static final EventType<UnitMoved> UNIT_MOVED =
            new EventType<>(Topics.UNITS, "io.hemolink.inventory.unit-moved.v1", UnitMoved.class);
    public static final EventType<io.hemolink.contracts.events.inventory.RecallIssued> RECALL_ISSUED =
            new EventType<>(Topics.UNITS, "io.hemolink.inventory.recall-issued.v1",
                    io.hemolink.contracts.events.inventory.RecallIssued.class);
    public static final EventType<StockLevelChanged> STOCK_LEVEL_CHANGED =
            new EventType<>(Topics.STOCK_LEVELS, "io.hemolink.inventory.stock-level-changed.v1", StockLevelChanged.class);
    public static final EventType<AllocationMade> ALLOCATION_MADE =
            new EventType<>(Topics.ALLOCATIONS, "io.hemolink.inventory.allocation-made.v1", AllocationMade.class);
    public static final EventType<AllocationReleased> ALLOCATION_RELEASED =
            new EventType<>(Topics.ALLOCATIONS, "io.hemolink.inventory.allocation-released.v1", AllocationReleased.class);
    public static final EventType<ReturnDecided> RETURN_DECIDED =
            new EventType<>(Topics.ALLOCATIONS, "io.hemolink.inventory.return-decided.v1", ReturnDecided.class);
    public static final EventType<SupplyAlertRaised> SUPPLY_ALERT_RAISED =
            new EventType<>(Topics.ALERTS, "io.hemolink.inventory.supply-alert-raised.v1", SupplyAlertRaised.class);
    public static final EventType<SupplyAlertCleared> SUPPLY_ALERT_CLEARED =
            new EventType<>(Topics.ALERTS, "io.hemolink.inventory.supply-alert-cleared.v1", SupplyAlertCleared.class);
    public static final EventType<RecruitmentRequested> RECRUITMENT_REQUESTED =
            new EventType<>(Topics.ALERTS, "io.hemolink.inventory.recruitment-requested.v1", RecruitmentRequested.class);

    public static final EventType<OrderSubmitted> ORDER_SUBMITTED =
            new EventType<>(Topics.ORDERS, "io.hemolink.order.submitted.v1", OrderSubmitted.class);
    public static final EventType<OrderCancelled> ORDER_CANCELLED =
            new EventType<>(Topics.ORDERS, "io.hemolink.order.cancelled.v1", OrderCancelled.class);
    public static final EventType<OrderAmended> ORDER_AMENDED =
            new EventType<>(Topics.ORDERS, "io.hemolink.order.amended.v1", OrderAmended.class);
    public static final EventType<OrderDispatched> ORDER_DISPATCHED =
            new EventType<>(Topics.ORDERS, "io.hemolink.order.dispatched.v1", OrderDispatched.class);
    public static final EventType<OrderReceived> ORDER_RECEIVED =
            new EventType<>(Topics.ORDERS, "io.hemolink.order.received.v1", OrderReceived.class);
    public static final EventType<OrderStatusChanged> ORDER_STATUS_CHANGED =
            new EventType<>(Topics.ORDER_STATUS, "io.hemolink.order.status-changed.v1", OrderStatusChanged.class);
    public static final EventType<ReturnRequested> RETURN_REQUESTED =
            new EventType<>(Topics.ORDERS, "io.hemolink.order.return-requested.v1", ReturnRequested.class);
    public static final EventType<ServiceLevelBreached> SERVICE_LEVEL_BREACHED =
            new EventType<>(Topics.ORDERS, "io.hemolink.order.service-level-breached.v1", ServiceLevelBreached.class);
    public static final EventType<DemandForecastUpdated> DEMAND_FORECAST_UPDATED =
            new EventType<>(Topics.DEMAND, "io.hemolink.order.demand-forecast-updated.v1", DemandForecastUpdated.class);

    public static final EventType<TemperatureReadingBatch> TEMPERATURE_READINGS =
            new EventType<>(Topics.TEMPERATURE_READINGS, "io.hemolink.storage.temperature-readings.v1", TemperatureReadingBatch.class);
    public static final EventType<ExcursionDetected> EXCURSION_DETECTED =
            new EventType<>(Topics.STORAGE_EVENTS, "io.hemolink.storage.excursion-detected.v1", ExcursionDetected.class);
    public static final EventType<QuarantineDecided> QUARANTINE_DECIDED =
            new EventType<>(Topics.STORAGE_EVENTS, "io.hemolink.storage.quarantine-decided.v1", QuarantineDecided.class);
    public static final EventType<TransferRequested> TRANSFER_REQUESTED =
            new EventType<>(Topics.STORAGE_EVENTS, "io.hemolink.storage.transfer-requested.v1", TransferRequested.class);
    public static final EventType<UnitIssued> UNIT_ISSUED =
            new EventType<>(Topics.STORAGE_EVENTS, "io.hemolink.storage.unit-issued.v1", UnitIssued.class);
    public static final EventType<UnitPlaced> UNIT_PLACED =
            new EventType<>(Topics.STORAGE_EVENTS, "io.hemolink.storage.unit-placed.v1", UnitPlaced.class);
    public static final EventType<ReplenishmentRequested> REPLENISHMENT_REQUESTED =
            new EventType<>(Topics.STORAGE_EVENTS, "io.hemolink.storage.replenishment-requested.v1",
                    ReplenishmentRequested.class);

    public static final EventType<DonationRecorded> DONATION_RECORDED =
            new EventType<>(Topics.DONATIONS, "io.hemolink.feewaiver.donation-recorded.v1", DonationRecorded.class);
    public static final EventType<WaiverClaimed> WAIVER_CLAIMED =
            new EventType<>(Topics.WAIVERS, "io.hemolink.feewaiver.waiver-claimed.v1", WaiverClaimed.class);
    public static final EventType<WaiverReversed> WAIVER_REVERSED =
            new EventType<>(Topics.WAIVERS, "io.hemolink.feewaiver.waiver-reversed.v1", WaiverReversed.class);
    public static final EventType<SettlementClosed> SETTLEMENT_CLOSED =
            new EventType<>(Topics.WAIVERS, "io.hemolink.feewaiver.settlement-closed.v1", SettlementClosed.class);

    private static final List<EventType<?>> ALL = List.of(UNIT_MOVED, RECALL_ISSUED, STOCK_LEVEL_CHANGED, ALLOCATION_MADE,
            ALLOCATION_RELEASED, RETURN_DECIDED, SUPPLY_ALERT_RAISED, SUPPLY_ALERT_CLEARED, RECRUITMENT_REQUESTED,
            ORDER_SUBMITTED,
            ORDER_CANCELLED, ORDER_AMENDED, ORDER_DISPATCHED, ORDER_RECEIVED, ORDER_STATUS_CHANGED, RETURN_REQUESTED, SERVICE_LEVEL_BREACHED,
            DEMAND_FORECAST_UPDATED, TEMPERATURE_READINGS, EXCURSION_DETECTED, QUARANTINE_DECIDED, TRANSFER_REQUESTED,
            UNIT_ISSUED, UNIT_PLACED, REPLENISHMENT_REQUESTED, DONATION_RECORDED,
            WAIVER_CLAIMED, WAIVER_REVERSED, SETTLEMENT_CLOSED);

    private Events() {
    }

    public static List<EventType<?>> all() {
        return ALL;
    }

    public static Optional<EventType<?>> byCeType(String ceType) {
        return ALL.stream().filter(e -> e.ceType().equals(ceType)).findFirst();
    }
}
