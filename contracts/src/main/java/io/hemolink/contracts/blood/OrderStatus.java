package io.hemolink.contracts.blood;

/** Order lifecycle. */
public enum OrderStatus {
    SUBMITTED, ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED, DISPATCHED, RECEIVED, CANCELLED;

    public boolean isOpen() {
        return this != RECEIVED && this != CANCELLED;
    }
}
