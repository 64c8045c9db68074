package io.hemolink.contracts.person;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Resident ID numbers (居民身份证号, GB 11643-1999): 17 digits (6 region, 8 birth date, 3 sequence) and a check
 * character, ISO 7064 MOD 11-2 over the 17 digits ({@code X} for 10). Only ever held in memory: stored as a keyed
 * hash and an encryption ({@link PersonalData}), shown masked.
 */
public final class IdNumbers {

    private static final Pattern SHAPE = Pattern.compile("\\d{17}[\\dXx]");
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private IdNumbers() {
    }

    /** The canonical form (upper-case X, no surrounding blanks) when {@code text} is a valid ID number, else null. */
    public static String canonical(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip().toUpperCase();
        if (s.length() != 18) {
            return null;
        }
        for (int i = 0; i < 17; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        if (s.charAt(17) != checkCharacter(s.substring(0, 17))) {
            return null;
        }
        try {
            LocalDate birth = LocalDate.of(Integer.parseInt(s.substring(6, 10)), Integer.parseInt(s.substring(10, 12)),
                    Integer.parseInt(s.substring(12, 14)));
            if (birth.getYear() < 1900 || birth.isAfter(LocalDate.now().plusDays(1))) {
                return null;
            }
        } catch (DateTimeException e) {
            return null;
        }
        return s;
    }

    public static boolean isValid(String text) {
        return canonical(text) != null;
    }

    /**
     * True when {@code text} has the shape of an ID number (17 digits and a digit or X, blanks ignored), valid or not:
     * a mistyped ID number is personal data too, so fields that must never hold one refuse this shape.
     */
    public static boolean looksLikeIdNumber(String text) {
        return text != null && SHAPE.matcher(text.replace(" ", "").strip()).matches();
    }

    /** The check character of the first 17 digits. */
    public static char checkCharacter(String first17) {
        if (first17 == null || first17.length() != 17) {
            throw new IllegalArgumentException("17 digits are needed");
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = first17.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("17 digits are needed");
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** {@code 330106199001011234} → {@code 3301**********1234}: region prefix and last four only. */
    public static String mask(String idNumber) {
        if (idNumber == null || idNumber.length() < 8) {
            return null;
        }
        return idNumber.substring(0, 4) + "*".repeat(idNumber.length() - 8) + idNumber.substring(idNumber.length() - 4);
    }

    /** A name as shown in responses: the first character, the rest starred (张三 → 张*, 欧阳娜娜 → 欧***). */
    public static String maskName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String s = name.strip();
        int first = s.offsetByCodePoints(0, 1);
        int rest = s.codePointCount(first, s.length());
        return s.substring(0, first) + "*".repeat(Math.max(rest, 1));
    }
}
