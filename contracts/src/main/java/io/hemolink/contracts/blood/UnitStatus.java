package io.hemolink.contracts.blood;

/** Where a unit is in its life; TRANSFUSED, DISCARDED and EXPIRED are fates, final. */
public enum UnitStatus {
    AVAILABLE, RESERVED, IN_TRANSIT, QUARANTINED, TRANSFUSED, DISCARDED, EXPIRED;

    public boolean isFinal() {
        return this == TRANSFUSED || this == DISCARDED || this == EXPIRED;
    }
}
