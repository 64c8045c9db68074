package io.hemolink.contracts.events.order;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;

/**
 * One line of an order, quantity in the component's unit of issue, with the special requirements every bag given to
 * it must meet ({@code lowTitre} and {@code antigenNegative} are absent from events older than 2026-12: none).
 */
public record OrderLine(int lineNo, Component component, Abo abo, RhD rhd, int quantity, boolean irradiated,
                        boolean cmvNegative, boolean lowTitre, java.util.List<String> antigenNegative) {

    public OrderLine {
        antigenNegative = antigenNegative == null ? java.util.List.of() : java.util.List.copyOf(antigenNegative);
    }

    public io.hemolink.contracts.blood.Requirements requirements() {
        return new io.hemolink.contracts.blood.Requirements(irradiated, cmvNegative, lowTitre, antigenNegative);
    }
}
