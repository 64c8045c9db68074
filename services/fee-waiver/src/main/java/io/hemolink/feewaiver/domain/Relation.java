package io.hemolink.feewaiver.domain;

/** How a relative is related to the donor (api.md). Which classes benefit is up to the rule set. */
public enum Relation {
    SPOUSE, PARENT, CHILD, SIBLING, GRANDPARENT, GRANDCHILD, SPOUSE_PARENT, CHILD_SPOUSE
}
