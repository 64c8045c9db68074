package io.hemolink.inventory.fhir;

import io.hemolink.fhir.FhirSystems;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitMovement;
import org.hl7.fhir.r5.model.BiologicallyDerivedProductDispense;
import org.hl7.fhir.r5.model.BiologicallyDerivedProductDispense.BiologicallyDerivedProductDispenseCodes;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;

import java.util.Date;

/**
 * A transfusion in the ledger as a FHIR R5 BiologicallyDerivedProductDispense (api.md, "FHIR R5 facade"), the one place
 * of that mapping. Both kinds are TRANSFUSED movements: a storage point's issue to a patient (its UnitIssued) and a
 * TRANSFUSED fate a hospital records.
 * <ul>
 * <li>Logical id: the product's ({@link ProductMapping#id}): a unit is transfused at most once (TRANSFUSED is
 * final), so {@code BiologicallyDerivedProductDispense/G123498654321H-RBC.LR} is the dispense of
 * {@code BiologicallyDerivedProduct/G123498654321H-RBC.LR}.</li>
 * <li>{@code status} {@code issued}; {@code product} the unit; {@code location} where it was transfused;
 * {@code whenHandedOver} when; {@code quantity} in the component's unit of issue.</li>
 * <li>{@code patient}: the location's own patient reference as a logical reference, {@code identifier} with system
 * {@code https://hemolink.io/fhir/NamingSystem/patient-ref/<location>} (never a resident ID number: the ledger
 * refuses one). Only the transfusing location sees it, as in a recall; anyone else (the station) sees the reference
 * withheld, by {@code display} alone.</li>
 * </ul>
 */
public final class DispenseMapping {

    public static final String TYPE = "BiologicallyDerivedProductDispense";

    static final String WITHHELD = "patient reference withheld: only the transfusing location sees it";
    static final String NOT_RECORDED = "no patient reference was recorded";

    private DispenseMapping() {
    }

    /**
     * @param patientVisible whether the caller is the transfusing location, which alone sees the patient reference
     */
    public static BiologicallyDerivedProductDispense toFhir(UnitMovement.Transfusion t, boolean patientVisible) {
        UnitMovement m = t.movement();
        Unit u = t.unit();
        BiologicallyDerivedProductDispense d = new BiologicallyDerivedProductDispense();
        d.setId(ProductMapping.id(u));
        d.getMeta().setVersionId(Long.toString(u.version));
        d.setStatus(BiologicallyDerivedProductDispenseCodes.ISSUED);
        d.setProduct(new Reference(ProductMapping.TYPE + "/" + ProductMapping.id(u)));
        String location = m.toLocationId;
        if (m.patientRef == null || m.patientRef.isBlank()) {
            d.setPatient(new Reference().setDisplay(NOT_RECORDED));
        } else if (patientVisible) {
            d.setPatient(new Reference().setIdentifier(new Identifier().setSystem(FhirSystems.patientRefs(location))
                    .setValue(m.patientRef)));
        } else {
            d.setPatient(new Reference().setDisplay(WITHHELD));
        }
        d.setLocation(new Reference("Location/" + location));
        d.setQuantity(new Quantity().setValue(u.quantity).setUnit(u.uom.name()));
        DateTimeType when = new DateTimeType(Date.from(m.occurredAt));
        when.setTimeZoneZulu(true);
        d.setWhenHandedOverElement(when);
        return d;
    }
}
