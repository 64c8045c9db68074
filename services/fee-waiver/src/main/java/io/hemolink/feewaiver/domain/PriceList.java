package io.hemolink.feewaiver.domain;

import io.hemolink.contracts.blood.Component;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

/**
 * The station-side blood fee per unit of issue of each component (only this part of a bill is waived), and what one
 * unit of issue counts as in millilitres of blood for the volume rule sets. Every component must have both.
 */
public final class PriceList {

    private final Map<Component, BigDecimal> yuanPerUnit;
    private final Map<Component, BigDecimal> mlPerUnit;

    public PriceList(Map<Component, BigDecimal> yuanPerUnit, Map<Component, BigDecimal> mlPerUnit) {
        this.yuanPerUnit = new EnumMap<>(yuanPerUnit);
        this.mlPerUnit = new EnumMap<>(mlPerUnit);
        for (Component c : Component.values()) {
            BigDecimal price = this.yuanPerUnit.get(c);
            BigDecimal ml = this.mlPerUnit.get(c);
            if (price == null || price.signum() < 0) {
                throw new IllegalArgumentException("no price for " + c);
            }
            if (ml == null || ml.signum() <= 0) {
                throw new IllegalArgumentException("no volume equivalent for " + c);
            }
        }
    }

    public BigDecimal yuanPerUnit(Component c) {
        return yuanPerUnit.get(c);
    }

    public BigDecimal mlPerUnit(Component c) {
        return mlPerUnit.get(c);
    }
}
