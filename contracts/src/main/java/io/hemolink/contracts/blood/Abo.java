package io.hemolink.contracts.blood;

/** ABO group. */
public enum Abo {
    O, A, B, AB
}
