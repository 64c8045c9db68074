package io.hemolink.contracts.blood;

/** Supply level of a group by days of supply; YELLOW and worse is a shortage. */
public enum Level {
    GREEN, YELLOW, ORANGE, RED;

    public boolean isShortage() {
        return this != GREEN;
    }

    public boolean worseThan(Level other) {
        return ordinal() > other.ordinal();
    }
}
