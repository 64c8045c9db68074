package io.hemolink.common.domain;

/**
 * A par level of one component and group at a location (a storage point or a hospital): stock below {@code min}
 * calls for a top-up, and the top-up brings the stock back to {@code target}. One rule for the storage points'
 * replenishment and the hospitals' suggested orders (api.md, "Hospital stock").
 */
public record ParLevel(int min, int target) {

    /** The largest par level accepted (in the component's unit). */
    public static final int MAX = 100_000;

    /**
     * @throws DomainException {@code PAR_LEVEL_INVALID} when a level is negative, above {@link #MAX}, or the target
     *                         is below the minimum
     */
    public ParLevel {
        if (min < 0 || target < 0) {
            throw DomainException.invalid("PAR_LEVEL_INVALID", "par levels are not negative (min " + min + ", target "
                    + target + ")");
        }
        if (min > MAX || target > MAX) {
            throw DomainException.invalid("PAR_LEVEL_INVALID", "par levels are at most " + MAX);
        }
        if (target < min) {
            throw DomainException.invalid("PAR_LEVEL_INVALID", "target " + target + " is below min " + min);
        }
    }

    /** Whether usable stock on hand is below the minimum. */
    public boolean isBelow(int onHand) {
        return onHand < min;
    }

    /**
     * What would bring the key back to target: the target and the demand expected before the next delivery, less
     * what is on hand, on its way and already ordered; never negative.
     */
    public int topUp(int onHand, int inTransit, int openOrders, int forecast) {
        return Math.max(0, target + forecast - onHand - inTransit - openOrders);
    }
}
