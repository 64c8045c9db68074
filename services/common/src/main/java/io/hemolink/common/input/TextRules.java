package io.hemolink.common.input;

/**
 * What counts as text in a request (ADR 0021). In JSON strings every C0 control character is refused except tab, line
 * feed and carriage return (free text may have lines), and so are DEL, the C1 controls and unpaired surrogates;
 * PostgreSQL refuses NUL outright, and none of the others belongs in a blood bank's record. In URLs (path segments and
 * query parameters) nothing of the kind is allowed, not even tab or a line break.
 */
public final class TextRules {

    private TextRules() {
    }

    /** The index of the first character a JSON string may not hold, or -1 when it is clean. */
    public static int firstRefusedInBody(CharSequence s) {
        return firstRefused(s, true);
    }

    /** The index of the first character a decoded path segment or query parameter may not hold, or -1. */
    public static int firstRefusedInUrl(CharSequence s) {
        return firstRefused(s, false);
    }

    /** How a refused character is named in an error: {@code U+0000}. */
    public static String describe(CharSequence s, int index) {
        return String.format("U+%04X at position %d", (int) s.charAt(index), index);
    }

    private static int firstRefused(CharSequence s, boolean lineBreaksAllowed) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                if (lineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r')) {
                    continue;
                }
                return i;
            }
            if (c >= 0x7F && c <= 0x9F) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
