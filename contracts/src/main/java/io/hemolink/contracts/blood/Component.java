package io.hemolink.contracts.blood;

import java.time.Duration;

/**
 * The blood components (成分血) of domain.md with their unit of issue, storage and default shelf life (WS 399).
 * Shelf lives here are defaults from collection; a station configures its own where its additive solutions differ.
 */
public enum Component {
    WB("全血", "Whole blood", Uom.U, EquipmentKind.RBC_FRIDGE, Duration.ofDays(35), ProductClass.RED_CELLS),
    RBC("悬浮红细胞", "Red blood cells in additive solution", Uom.U, EquipmentKind.RBC_FRIDGE, Duration.ofDays(35), ProductClass.RED_CELLS),
    RBC_LR("去白细胞悬浮红细胞", "Leukocyte-reduced red blood cells", Uom.U, EquipmentKind.RBC_FRIDGE, Duration.ofDays(35), ProductClass.RED_CELLS),
    RBC_W("洗涤红细胞", "Washed red blood cells", Uom.U, EquipmentKind.RBC_FRIDGE, Duration.ofHours(24), ProductClass.RED_CELLS),
    FFP("新鲜冰冻血浆", "Fresh frozen plasma", Uom.ML, EquipmentKind.PLASMA_FREEZER, Duration.ofDays(365), ProductClass.PLASMA),
    FFP_VI("病毒灭活新鲜冰冻血浆", "Virus-inactivated fresh frozen plasma", Uom.ML, EquipmentKind.PLASMA_FREEZER, Duration.ofDays(365), ProductClass.PLASMA),
    FP("冰冻血浆", "Frozen plasma", Uom.ML, EquipmentKind.PLASMA_FREEZER, Duration.ofDays(4 * 365), ProductClass.PLASMA),
    CRYO("冷沉淀凝血因子", "Cryoprecipitated antihemophilic factor", Uom.U, EquipmentKind.PLASMA_FREEZER, Duration.ofDays(365), ProductClass.PLASMA),
    PLT_AP("单采血小板", "Apheresis platelets", Uom.DOSE, EquipmentKind.PLT_AGITATOR, Duration.ofDays(5), ProductClass.PLATELETS),
    PLT_POOL("混合浓缩血小板", "Pooled platelet concentrate", Uom.DOSE, EquipmentKind.PLT_AGITATOR, Duration.ofDays(5), ProductClass.PLATELETS);

    private final String nameZh;
    private final String nameEn;
    private final Uom uom;
    private final EquipmentKind storedIn;
    private final Duration shelfLife;
    private final ProductClass productClass;

    Component(String nameZh, String nameEn, Uom uom, EquipmentKind storedIn, Duration shelfLife, ProductClass productClass) {
        this.nameZh = nameZh;
        this.nameEn = nameEn;
        this.uom = uom;
        this.storedIn = storedIn;
        this.shelfLife = shelfLife;
        this.productClass = productClass;
    }

    public String nameZh() {
        return nameZh;
    }

    public String nameEn() {
        return nameEn;
    }

    public Uom uom() {
        return uom;
    }

    /** The kind of equipment the component is kept in. */
    public EquipmentKind storedIn() {
        return storedIn;
    }

    public TemperatureRange storage() {
        return storedIn.range();
    }

    /** The default shelf life from collection. */
    public Duration shelfLife() {
        return shelfLife;
    }

    /**
     * The longest a bag of this component can keep from collection, whatever the station configures: the shelf life,
     * except for washed red cells, whose 24 h run from washing, which is done within red cells' own shelf life (in an
     * additive solution they keep as red cells do). An expiry later than collection + this is not a real one.
     */
    public Duration longestShelfLife() {
        return this == RBC_W ? RBC.shelfLife : shelfLife;
    }

    public ProductClass productClass() {
        return productClass;
    }

    public boolean isRedCells() {
        return productClass == ProductClass.RED_CELLS;
    }
}
