package io.hemolink.storagepoint.domain;

import java.util.regex.Pattern;

/**
 * A patient reference is the hospital's own (medical record number, bed and ward...), never a resident ID number
 * (身份证号, GB 11643): 17 digits and a check character over them with the ISO 7064 MOD 11-2 weights.
 */
public final class PatientRefs {

    private static final Pattern SHAPE = Pattern.compile("\\d{17}[\\dXx]");
    private static final String CHECKS = "10X98765432";

    private PatientRefs() {
    }

    /** True when {@code ref} is shaped like a resident ID number and its check character is right. */
    public static boolean looksLikeResidentIdNumber(String ref) {
        if (ref == null) {
            return false;
        }
        String s = ref.strip().replace(" ", "");
        if (!SHAPE.matcher(s).matches()) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int weight = (1 << (17 - i)) % 11;
            sum += (s.charAt(i) - '0') * weight;
        }
        return Character.toUpperCase(s.charAt(17)) == CHECKS.charAt(sum % 11);
    }
}
