package io.hemolink.contracts.blood;

/** Which compatibility table a component follows: red cells (and whole blood), platelets, or plasma (and cryo). */
public enum ProductClass {
    RED_CELLS, PLATELETS, PLASMA
}
