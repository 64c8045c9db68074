package io.hemolink.contracts.isbt;

/**
 * An ISBT 128 Donation Identification Number: 13 data characters (facility code of 5, 2-digit year, 6-digit
 * sequence) and the ISO 7064 mod 37-2 check character of eye-readable labels. One donation's components share
 * it. {@link #canonical()} (14 characters, e.g. {@code G123498654321H}) is how Hemolink stores and shows it.
 */
public record Din(String data, char check) {

    private static final String CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

    public Din {
        validateData(data);
        if (check != checkCharacter(data)) {
            throw new InvalidDinException(InvalidDinException.Reason.CHECK_CHARACTER,
                    "check character " + check + " does not match " + data + " (expected " + checkCharacter(data) + ")");
        }
    }

    /**
     * Parses the eye-readable form (13 data characters + check character, as printed on labels, spaces allowed
     * between groups) or the scanned barcode form ({@code =} + 13 data characters + 2 flag characters; the check
     * character is computed). Lower case is accepted.
     *
     * @throws InvalidDinException with the reason when it is neither
     */
    public static Din parse(String text) {
        if (text == null) {
            throw new InvalidDinException(InvalidDinException.Reason.LENGTH, "no donation identification number");
        }
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        if (t.startsWith("=")) {
            String body = t.substring(1);
            if (body.length() != 15) {
                throw new InvalidDinException(InvalidDinException.Reason.LENGTH,
                        "a scanned DIN is '=' followed by 13 data characters and 2 flag characters");
            }
            String data = body.substring(0, 13);
            validateData(data);
            String flags = body.substring(13);
            if (!flags.chars().allMatch(c -> isAlnum((char) c))) {
                throw new InvalidDinException(InvalidDinException.Reason.FORMAT, "flag characters must be letters or digits");
            }
            return new Din(data, checkCharacter(data));
        }
        String compact = t.replace(" ", "");
        if (compact.length() != 14) {
            throw new InvalidDinException(InvalidDinException.Reason.LENGTH,
                    "an eye-readable DIN is 13 data characters and a check character (" + compact.length() + " given)");
        }
        String data = compact.substring(0, 13);
        validateData(data);
        char check = compact.charAt(13);
        if (CHARS.indexOf(check) < 0) {
            throw new InvalidDinException(InvalidDinException.Reason.FORMAT, "'" + check + "' cannot be a check character");
        }
        return new Din(data, check);
    }

    /** ISO 7064 mod 37-2 over the 13 data characters: 0-9 → 0-9, A-Z → 10-35, '*' → 36. */
    public static char checkCharacter(String thirteen) {
        if (thirteen == null || thirteen.length() != 13) {
            throw new InvalidDinException(InvalidDinException.Reason.LENGTH, "the check character is computed over 13 characters");
        }
        long sum = 0;
        long weight = 2;
        for (int i = thirteen.length() - 1; i >= 0; i--) {
            int value = CHARS.indexOf(thirteen.charAt(i));
            if (value < 0 || value == 36) {
                throw new InvalidDinException(InvalidDinException.Reason.FORMAT, "'" + thirteen.charAt(i) + "' is not A-Z or 0-9");
            }
            sum += value * weight;
            weight *= 2;
        }
        int r = (int) (sum % 37);
        return CHARS.charAt((38 - r) % 37);
    }

    public String canonical() {
        return data + check;
    }

    public String facilityCode() {
        return data.substring(0, 5);
    }

    /** The two-digit year of collection as printed, e.g. "24". */
    public String year() {
        return data.substring(5, 7);
    }

    public String sequence() {
        return data.substring(7);
    }

    @Override
    public String toString() {
        return canonical();
    }

    private static void validateData(String data) {
        if (data == null || data.length() != 13) {
            throw new InvalidDinException(InvalidDinException.Reason.LENGTH, "a DIN has 13 data characters");
        }
        char first = data.charAt(0);
        boolean facilityStart = (first >= 'A' && first <= 'Z' && first != 'O') || (first >= '1' && first <= '9');
        if (!facilityStart) {
            throw new InvalidDinException(InvalidDinException.Reason.FACILITY,
                    "a facility code starts with A-N, P-Z or 1-9, not '" + first + "'");
        }
        for (int i = 1; i < 5; i++) {
            if (!isAlnum(data.charAt(i))) {
                throw new InvalidDinException(InvalidDinException.Reason.FORMAT, "the facility code is 5 letters or digits");
            }
        }
        for (int i = 5; i < 13; i++) {
            char c = data.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidDinException(InvalidDinException.Reason.FORMAT, "year and sequence are 8 digits");
            }
        }
    }

    private static boolean isAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
