package io.hemolink.contracts.events.order;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;

/** One line of an order, quantity in the component's unit of issue. */
public record OrderLine(int lineNo, Component component, Abo abo, RhD rhd, int quantity, boolean irradiated,
                        boolean cmvNegative) {
}
