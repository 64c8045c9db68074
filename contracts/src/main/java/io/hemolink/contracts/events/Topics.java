package io.hemolink.contracts.events;

import java.util.List;

/** The Kafka topics of the platform. Keys are aggregates, so one aggregate's events stay in order. */
public final class Topics {

    /** Stock level per location × component × ABO × RhD; compacted; key {@code location|component|abo|rhd}. */
    public static final String STOCK_LEVELS = "hemolink.inventory.stock-levels";
    /** Unit movements (the stock ledger); key DIN. */
    public static final String UNITS = "hemolink.inventory.units";
    /** Allocations answering orders; key order id. */
    public static final String ALLOCATIONS = "hemolink.inventory.allocations";
    /** Supply alerts raised and cleared; key {@code component|abo|rhd}. */
    public static final String ALERTS = "hemolink.inventory.alerts";
    /** Order lifecycle; key order id. */
    public static final String ORDERS = "hemolink.order.orders";
    /** Orders' status moves, what pushes order status (streams, webhooks); key order id. */
    public static final String ORDER_STATUS = "hemolink.order.status";
    /** Demand forecasts; key location id. */
    public static final String DEMAND = "hemolink.order.demand";
    /** Temperature readings from sensor gateways (input); key storage point id. */
    public static final String TEMPERATURE_READINGS = "hemolink.storage.temperature-readings";
    /** Storage point events (excursions, quarantine decisions); key storage point id. */
    public static final String STORAGE_EVENTS = "hemolink.storage.events";
    /** Donations from the station's donor system (input) and those the waiver administration records; key donation id. */
    public static final String DONATIONS = "hemolink.feewaiver.donations";
    /** Fee waivers claimed and reversed, settlements closed; key waiver id. */
    public static final String WAIVERS = "hemolink.feewaiver.waivers";

    private static final List<String> ALL = List.of(STOCK_LEVELS, UNITS, ALLOCATIONS, ALERTS, ORDERS, ORDER_STATUS, DEMAND,
            TEMPERATURE_READINGS, STORAGE_EVENTS, DONATIONS, WAIVERS);

    private Topics() {
    }

    public static List<String> all() {
        return ALL;
    }

    /** Whether the topic keeps only the latest event per key. */
    public static boolean compacted(String topic) {
        return STOCK_LEVELS.equals(topic);
    }

    /** Where poison events of {@code topic} go. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
