package io.hemolink.contracts.blood;

/** Storage equipment at a storage point, each with the range its contents must stay in (WS 399). */
public enum EquipmentKind {
    RBC_FRIDGE(TemperatureRange.between(2, 6)),
    PLT_AGITATOR(TemperatureRange.between(20, 24)),
    PLASMA_FREEZER(TemperatureRange.atMost(-18));

    private final TemperatureRange range;

    EquipmentKind(TemperatureRange range) {
        this.range = range;
    }

    public TemperatureRange range() {
        return range;
    }
}
