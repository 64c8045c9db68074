package io.hemolink.contracts.events.feewaiver;

/** What was donated. */
public enum DonationKind {
    WHOLE_BLOOD, APHERESIS_PLATELETS
}
