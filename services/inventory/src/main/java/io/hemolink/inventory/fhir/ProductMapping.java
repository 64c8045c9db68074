package io.hemolink.inventory.fhir;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.ProductClass;
import io.hemolink.contracts.blood.TemperatureRange;
import io.hemolink.contracts.blood.UnitAttributes;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.inventory.domain.Unit;
import org.hl7.fhir.r5.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DataType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Range;
import org.hl7.fhir.r5.model.StringType;

import java.util.Date;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unit as a FHIR R5 BiologicallyDerivedProduct (api.md, "FHIR R5 facade"), the one place of that mapping.
 * <p>
 * Logical id: the canonical 14-character DIN, the component ({@code _} written {@code .}, FHIR ids have no
 * underscore) and the division when there is one: {@code G123498654321H-RBC.LR}, {@code G123498654321H-PLT.AP-A1}.
 */
public final class ProductMapping {

    public static final String TYPE = "BiologicallyDerivedProduct";

    private static final Pattern ID = Pattern.compile("([A-Z0-9]{13}[A-Z0-9*])-([A-Z.]{2,8})(?:-([A-Z0-9]{1,6}))?");

    /** A unit's key as the logical id names it. */
    public record Key(String din, Component component, String division) {
    }

    private ProductMapping() {
    }

    public static String id(Unit u) {
        return FhirSystems.productId(u.din, u.component.name(), u.division);
    }

    /** The unit key a logical id names; empty for anything that is not one of ours (a read of it is 404). */
    public static Optional<Key> key(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Component c = Component.valueOf(m.group(2).replace('.', '_'));
            return Optional.of(new Key(m.group(1), c, m.group(3) == null ? "" : m.group(3)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** HL7's product category of a component: red cells and platelets are cells, plasma and cryoprecipitate fluid. */
    public static String category(Component c) {
        return c.productClass() == ProductClass.PLASMA ? "fluid" : "cells";
    }

    /** The components of a product category code; empty for a category no unit has. */
    public static Set<Component> components(String category) {
        Set<Component> cs = EnumSet.noneOf(Component.class);
        for (Component c : Component.values()) {
            if (category(c).equals(category)) {
                cs.add(c);
            }
        }
        return cs;
    }

    /** HL7's product status: {@code available} while the unit may be allocated or issued, else {@code unavailable}. */
    public static String productStatus(UnitStatus s) {
        return s == UnitStatus.AVAILABLE ? "available" : "unavailable";
    }

    public static Set<UnitStatus> statuses(String productStatus) {
        return switch (productStatus) {
            case "available" -> EnumSet.of(UnitStatus.AVAILABLE);
            case "unavailable" -> EnumSet.complementOf(EnumSet.of(UnitStatus.AVAILABLE));
            default -> EnumSet.noneOf(UnitStatus.class);
        };
    }

    public static BiologicallyDerivedProduct toFhir(Unit u) {
        BiologicallyDerivedProduct p = new BiologicallyDerivedProduct();
        p.setId(id(u));
        p.getMeta().setVersionId(Long.toString(u.version));
        String din13 = u.din.substring(0, 13);
        p.addIdentifier(new Identifier().setSystem(FhirSystems.DIN).setValue(din13));
        p.setBiologicalSourceEvent(new Identifier().setSystem(FhirSystems.DIN).setValue(din13));
        p.setProductCategory(new Coding(FhirSystems.HL7_PRODUCT_CATEGORY, category(u.component), null));

        CodeableConcept code = new CodeableConcept().setText(u.component.nameEn());
        code.addCoding(new Coding(FhirSystems.COMPONENT, u.component.name(), u.component.nameEn()));
        if (u.productCode != null) {
            code.addCoding(new Coding(FhirSystems.PRODUCT_CODE, u.productCode, null));
        }
        p.setProductCode(code);
        if (!u.division.isEmpty()) {
            p.setDivision(u.division);
        }
        p.setProductStatus(new Coding(FhirSystems.HL7_PRODUCT_STATUS, productStatus(u.status), null));
        p.setExpirationDateElement(instant(u.expiresAt));
        p.getCollection().setCollected(instant(u.collectedAt));
        p.setStorageTempRequirements(range(u.component.storage()));

        property(p, "abo", concept(FhirSystems.ABO, u.abo.name()));
        property(p, "rhd", concept(FhirSystems.RHD, u.rhd.name()));
        property(p, "volume", new Quantity().setValue(u.volumeMl).setUnit("mL").setSystem(FhirSystems.UCUM).setCode("mL"));
        property(p, "quantity", new Quantity().setValue(u.quantity).setUnit(u.uom.name()));
        property(p, "status", concept(FhirSystems.UNIT_STATUS, u.status.name()));
        property(p, "location", new StringType(u.locationId));
        UnitAttributes a = u.attributes();
        property(p, "irradiated", new BooleanType(a.irradiated()));
        property(p, "cmvNegative", new BooleanType(a.cmvNegative()));
        property(p, "lowTitre", new BooleanType(a.lowTitre()));
        for (String antigen : a.antigenNegative()) {
            property(p, "antigenNegative", concept(FhirSystems.ANTIGEN, antigen));
        }
        return p;
    }

    private static void property(BiologicallyDerivedProduct p, String type, DataType value) {
        p.addProperty().setType(concept(FhirSystems.PRODUCT_PROPERTY, type)).setValue(value);
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    private static DateTimeType instant(java.time.Instant at) {
        DateTimeType t = new DateTimeType(Date.from(at));
        t.setTimeZoneZulu(true);
        return t;
    }

    private static Range range(TemperatureRange t) {
        Range r = new Range();
        if (t.minCelsius() != null) {
            r.setLow(celsius(t.minCelsius()));
        }
        if (t.maxCelsius() != null) {
            r.setHigh(celsius(t.maxCelsius()));
        }
        return r;
    }

    private static org.hl7.fhir.r5.model.Quantity celsius(double value) {
        return new org.hl7.fhir.r5.model.Quantity().setValue(value).setUnit("°C").setSystem(FhirSystems.UCUM).setCode("Cel");
    }
}
