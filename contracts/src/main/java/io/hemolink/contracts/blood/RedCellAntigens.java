package io.hemolink.contracts.blood;

import java.util.List;

/**
 * The red-cell antigens a unit may be typed negative for and an order line may ask to be negative for (api.md:
 * {@code C c E e K k Fya Fyb Jka Jkb S s M N}). Names are case-sensitive ({@code C} and {@code c} are different
 * antigens). A station configures its own list with {@code hemolink.red-cell-antigens}; this is the default.
 */
public final class RedCellAntigens {

    public static final List<String> DEFAULT = List.of("C", "c", "E", "e", "K", "k", "Fya", "Fyb", "Jka", "Jkb", "S",
            "s", "M", "N");

    private RedCellAntigens() {
    }

    /** The first name of {@code given} not in {@code known}, or null when all are known. */
    public static String firstUnknown(List<String> given, List<String> known) {
        if (given == null) {
            return null;
        }
        return given.stream().filter(a -> a == null || !known.contains(a)).findFirst().map(String::valueOf).orElse(null);
    }
}
