package io.hemolink.order.fhir;

import io.hemolink.contracts.blood.LocationId;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.order.domain.AllocatedUnit;
import io.hemolink.order.domain.BloodOrderLine;
import io.hemolink.order.domain.IssueNote;
import io.hemolink.order.domain.IssueNote.Delivery;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.SupplyDelivery;
import org.hl7.fhir.r5.model.SupplyDelivery.SupplyDeliveryStatus;

import java.util.EnumSet;
import java.util.Set;

/**
 * A dispatch (its issue note) and its receipt as a FHIR R5 SupplyDelivery (api.md, "FHIR R5 facade"): the one place
 * of that mapping.
 * <ul>
 * <li>Logical id: the issue note number ({@code CK20261201-000042}), also an {@code identifier}; the order's id is
 * another.</li>
 * <li>{@code basedOn}: the SupplyRequest of every order line the dispatch carries bags for.</li>
 * <li>{@code status}: {@code in-progress} while in transit; once received {@code completed}, or {@code abandoned}
 * when every bag was rejected at receipt.</li>
 * <li>{@code suppliedItem}: one per bag, the item a reference to the inventory's BiologicallyDerivedProduct and the
 * quantity in the component's unit of issue: every bag dispatched while in transit (and when abandoned), only the
 * accepted ones once completed (what was supplied; a rejected bag's reason is on the order).</li>
 * <li>{@code supplier} {@code Organization/STATION} and {@code receiver} {@code Organization/<location>} (R5 allows no
 * Location there; the ids are the locations'), {@code destination} {@code Location/<location>},
 * {@code occurrenceDateTime} the dispatch.</li>
 * </ul>
 */
public final class SupplyDeliveryMapping {

    public static final String TYPE = "SupplyDelivery";

    private SupplyDeliveryMapping() {
    }

    public static SupplyDeliveryStatus status(Delivery d) {
        return switch (d) {
            case IN_TRANSIT -> SupplyDeliveryStatus.INPROGRESS;
            case RECEIVED -> SupplyDeliveryStatus.COMPLETED;
            case REFUSED -> SupplyDeliveryStatus.ABANDONED;
        };
    }

    /** The deliveries a status code stands for; empty for a code no dispatch has ({@code entered-in-error}). */
    public static Set<Delivery> deliveries(String code) {
        for (Delivery d : Delivery.values()) {
            if (status(d).toCode().equals(code)) {
                return EnumSet.of(d);
            }
        }
        return EnumSet.noneOf(Delivery.class);
    }

    public static SupplyDelivery toFhir(IssueNote.Dispatch dispatch) {
        IssueNote note = dispatch.note();
        var o = dispatch.order();
        Delivery delivery = dispatch.delivery();
        SupplyDelivery d = new SupplyDelivery();
        d.setId(note.no);
        d.getMeta().setVersionId(Long.toString(o.version));
        d.addIdentifier(new Identifier().setSystem(FhirSystems.ISSUE_NOTE).setValue(note.no));
        d.addIdentifier(new Identifier().setSystem(FhirSystems.ORDER).setValue(o.id));
        for (BloodOrderLine line : o.lines) {
            if (!line.units.isEmpty()) {
                d.addBasedOn(new Reference(SupplyRequestMapping.TYPE + "/" + SupplyRequestMapping.id(o, line)));
            }
        }
        d.setStatus(status(delivery));
        d.setType(new CodeableConcept(new Coding(FhirSystems.HL7_SUPPLY_ITEM_TYPE, "biologicallyderivedproduct", null)));
        for (AllocatedUnit u : o.units()) {
            if (delivery == Delivery.RECEIVED && !Boolean.TRUE.equals(u.accepted)) {
                continue;
            }
            d.addSuppliedItem().setItem(new Reference("BiologicallyDerivedProduct/"
                            + FhirSystems.productId(u.din, u.component.name(), u.division)))
                    .setQuantity(SupplyRequestMapping.quantity(u.component, u.quantity));
        }
        d.setOccurrence(SupplyRequestMapping.instant(note.issuedAt));
        d.setSupplier(new Reference("Organization/" + LocationId.STATION));
        d.setDestination(new Reference("Location/" + note.locationId));
        if (delivery != Delivery.IN_TRANSIT) {
            d.addReceiver(new Reference("Organization/" + note.locationId));
        }
        return d;
    }
}
