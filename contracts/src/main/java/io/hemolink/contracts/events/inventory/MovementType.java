package io.hemolink.contracts.events.inventory;

/** The movements of the stock ledger: the only ways a unit changes. */
public enum MovementType {
    RECEIVED, RESERVED, UNRESERVED, DISPATCHED, RECEIVED_AT_HOSPITAL, REJECTED_AT_HOSPITAL, TRANSFERRED, TRANSFUSED,
    DISCARDED, QUARANTINED, RELEASED, EXPIRED, RETURNED_TO_STOCK, IRRADIATED
}
