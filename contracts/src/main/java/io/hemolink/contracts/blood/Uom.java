package io.hemolink.contracts.blood;

/** Unit of issue: units (1 U = red cells from 200 ml whole blood), millilitres, or therapeutic doses. */
public enum Uom {
    U, ML, DOSE
}
