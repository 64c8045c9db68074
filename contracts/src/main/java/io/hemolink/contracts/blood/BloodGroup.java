package io.hemolink.contracts.blood;

import java.util.List;
import java.util.Objects;

/** ABO and RhD together, written "O+", "AB-". */
public record BloodGroup(Abo abo, RhD rhd) {

    private static final List<BloodGroup> ALL = List.of(
            new BloodGroup(Abo.O, RhD.POS), new BloodGroup(Abo.O, RhD.NEG),
            new BloodGroup(Abo.A, RhD.POS), new BloodGroup(Abo.A, RhD.NEG),
            new BloodGroup(Abo.B, RhD.POS), new BloodGroup(Abo.B, RhD.NEG),
            new BloodGroup(Abo.AB, RhD.POS), new BloodGroup(Abo.AB, RhD.NEG));

    public BloodGroup {
        Objects.requireNonNull(abo, "abo");
        Objects.requireNonNull(rhd, "rhd");
    }

    public static BloodGroup of(Abo abo, RhD rhd) {
        return new BloodGroup(abo, rhd);
    }

    /** Parses "O+", "ab-" (case-insensitive). */
    public static BloodGroup parse(String text) {
        if (text == null || text.length() < 2) {
            throw new IllegalArgumentException("not a blood group: " + text);
        }
        String t = text.trim().toUpperCase();
        char sign = t.charAt(t.length() - 1);
        if (sign != '+' && sign != '-') {
            throw new IllegalArgumentException("not a blood group: " + text);
        }
        try {
            return new BloodGroup(Abo.valueOf(t.substring(0, t.length() - 1)), sign == '+' ? RhD.POS : RhD.NEG);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a blood group: " + text, e);
        }
    }

    /** The eight groups in a stable order: O+ O- A+ A- B+ B- AB+ AB-. */
    public static List<BloodGroup> all() {
        return ALL;
    }

    @Override
    public String toString() {
        return abo.name() + rhd.sign();
    }
}
