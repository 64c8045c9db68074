package io.hemolink.common.db;

import io.hemolink.contracts.blood.UnitAttributes;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A bag's special attributes as every service stores them beside the bag (columns {@code irradiated},
 * {@code cmv_negative}, {@code low_titre}, {@code antigen_negative text[]}): the inventory's unit, an order's allocated
 * bag, a storage point's unit. The value they stand for is contracts' {@link UnitAttributes}.
 */
@Embeddable
public class SpecialAttributeColumns {

    public boolean irradiated;

    public boolean cmvNegative;

    public boolean lowTitre;

    /** The red-cell antigens the bag was typed negative for, sorted. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] antigenNegative = new String[0];

    /** The attributes, with the product code the entity keeps (or null). */
    public UnitAttributes toAttributes(String productCode) {
        return UnitAttributes.of(irradiated, cmvNegative, lowTitre, antigenNegative, productCode);
    }

    /** Takes the attributes (all but the product code, which only some entities keep); null changes nothing. */
    public void set(UnitAttributes a) {
        if (a == null) {
            return;
        }
        irradiated = a.irradiated();
        cmvNegative = a.cmvNegative();
        lowTitre = a.lowTitre();
        antigenNegative = a.antigenNegative().toArray(String[]::new);
    }
}
