package io.hemolink.contracts.blood;

/**
 * Why a unit was wasted (api.md, "Discards and wastage"): the code every DISCARDED fate carries, and the code of an
 * EXPIRED fate. The free-text {@code reason} stays beside it.
 */
public enum DiscardReason {
    EXPIRED, BROKEN, TEMPERATURE, POSITIVE_TEST, RETURN_NOT_REUSABLE, RECALLED, NOT_USED, QUALITY, OTHER
}
