package io.hemolink.contracts.blood;

/** RhD type. */
public enum RhD {
    POS, NEG;

    public String sign() {
        return this == POS ? "+" : "-";
    }
}
