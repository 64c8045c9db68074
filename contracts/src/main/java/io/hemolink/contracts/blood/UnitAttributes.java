package io.hemolink.contracts.blood;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a bag is, beyond its component and group: irradiated, CMV-negative, low-titre anti-A/anti-B, the red-cell
 * antigens it was typed negative for, and its ISBT 128 product description code (a letter and four digits, as given).
 * A bag's attributes change only through recorded movements (release, irradiation).
 */
public record UnitAttributes(boolean irradiated, boolean cmvNegative, boolean lowTitre, List<String> antigenNegative,
                             String productCode) {

    /** The ISBT 128 product description code: one letter and four digits, e.g. {@code E0336}. */
    public static final Pattern PRODUCT_CODE = Pattern.compile("[A-Z][0-9]{4}");

    public static final UnitAttributes NONE = new UnitAttributes(false, false, false, List.of(), null);

    public UnitAttributes {
        antigenNegative = antigenNegative == null ? List.of() : List.copyOf(new TreeSet<>(antigenNegative));
    }

    /** From the columns a bag is stored in ({@code antigenNegative} a possibly null array). */
    public static UnitAttributes of(boolean irradiated, boolean cmvNegative, boolean lowTitre, String[] antigenNegative,
                                    String productCode) {
        return new UnitAttributes(irradiated, cmvNegative, lowTitre,
                antigenNegative == null ? List.of() : List.of(antigenNegative), productCode);
    }

    public Set<String> antigenNegativeSet() {
        return Set.copyOf(antigenNegative);
    }

    public UnitAttributes irradiatedNow() {
        return new UnitAttributes(true, cmvNegative, lowTitre, antigenNegative, productCode);
    }

    public static boolean isProductCode(String code) {
        return code != null && PRODUCT_CODE.matcher(code).matches();
    }
}
