package io.hemolink.contracts.blood;

/** Order priority; EMERGENCY is served first. */
public enum Priority {
    EMERGENCY(0), URGENT(1), ROUTINE(2);

    private final int rank;

    Priority(int rank) {
        this.rank = rank;
    }

    /** 0 is served first. */
    public int rank() {
        return rank;
    }
}
