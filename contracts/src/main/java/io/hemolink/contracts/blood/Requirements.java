package io.hemolink.contracts.blood;

import java.util.List;
import java.util.TreeSet;

/**
 * What an order line (or an issue to a patient) demands of a bag beyond its group: irradiated, CMV-negative,
 * low-titre, negative for every antigen listed. A bag is only ever given where it meets every one of them
 * ({@link #metBy}); the low-titre demand of the compatibility table for another ABO group comes on top
 * ({@link io.hemolink.contracts.compat.CompatibilityTable#donorOptions}).
 */
public record Requirements(boolean irradiated, boolean cmvNegative, boolean lowTitre, List<String> antigenNegative) {

    public static final Requirements NONE = new Requirements(false, false, false, List.of());

    public Requirements {
        antigenNegative = antigenNegative == null ? List.of() : List.copyOf(new TreeSet<>(antigenNegative));
    }

    public boolean any() {
        return irradiated || cmvNegative || lowTitre || !antigenNegative.isEmpty();
    }

    /**
     * The first attribute (api.md field name) that a bag or line of {@code component} cannot have, or null: plasma
     * and cryo are acellular, so irradiation and CMV status mean nothing for them; red-cell antigen typing is for
     * red-cell components (whole blood included). The same rule refuses such a release and such an order line, so a
     * line never waits for a bag that cannot exist.
     */
    public static String notApplicable(Component component, boolean irradiated, boolean cmvNegative,
                                       List<String> antigenNegative) {
        ProductClass pc = component.productClass();
        if (pc == ProductClass.PLASMA && irradiated) {
            return "irradiated";
        }
        if (pc == ProductClass.PLASMA && cmvNegative) {
            return "cmvNegative";
        }
        if (pc != ProductClass.RED_CELLS && antigenNegative != null && !antigenNegative.isEmpty()) {
            return "antigenNegative";
        }
        return null;
    }

    /** True when a bag with {@code attributes} meets every requirement. */
    public boolean metBy(UnitAttributes attributes) {
        UnitAttributes a = attributes == null ? UnitAttributes.NONE : attributes;
        return (!irradiated || a.irradiated())
                && (!cmvNegative || a.cmvNegative())
                && (!lowTitre || a.lowTitre())
                && a.antigenNegativeSet().containsAll(antigenNegative);
    }

    /** The requirements a bag with {@code attributes} does not meet, by their api.md field names. */
    public List<String> unmetBy(UnitAttributes attributes) {
        UnitAttributes a = attributes == null ? UnitAttributes.NONE : attributes;
        List<String> unmet = new java.util.ArrayList<>();
        if (irradiated && !a.irradiated()) {
            unmet.add("irradiated");
        }
        if (cmvNegative && !a.cmvNegative()) {
            unmet.add("cmvNegative");
        }
        if (lowTitre && !a.lowTitre()) {
            unmet.add("lowTitre");
        }
        antigenNegative.stream().filter(x -> !a.antigenNegativeSet().contains(x)).forEach(x -> unmet.add("antigenNegative " + x));
        return unmet;
    }
}
