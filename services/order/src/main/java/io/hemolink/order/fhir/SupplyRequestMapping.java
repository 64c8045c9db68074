package io.hemolink.order.fhir;

import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.BloodOrderLine;
import io.hemolink.order.domain.Orders;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DataType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Enumerations.RequestPriority;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.SupplyRequest;
import org.hl7.fhir.r5.model.SupplyRequest.SupplyRequestStatus;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One order line as a FHIR R5 SupplyRequest, and a SupplyRequest as an order of one line (api.md, "FHIR R5
 * facade"): the one place of that mapping, both ways.
 * <p>
 * Logical id: the order's id and the line number, {@code <orderId>-<lineNo>}. {@code requester} and {@code deliverTo}
 * are {@code Location/<locationId>} as api.md fixes them; R5 lists no Location among a requester's targets, so
 * {@code Organization/<locationId>} is read as the same (ADR 0032).
 */
public final class SupplyRequestMapping {

    public static final String TYPE = "SupplyRequest";
    /** The order a line belongs to, as an identifier of each of its SupplyRequests. */
    public static final String ORDER_IDENTIFIER = FhirSystems.ORDER;

    private static final Pattern ID = Pattern.compile("([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\\d{1,3})");
    private static final Set<OrderStatus> ACTIVE = EnumSet.complementOf(EnumSet.of(OrderStatus.RECEIVED,
            OrderStatus.CANCELLED));

    /** An order line as a logical id names it. */
    public record Key(String orderId, int lineNo) {
    }

    private SupplyRequestMapping() {
    }

    public static String id(BloodOrder o, BloodOrderLine l) {
        return o.id + "-" + l.lineNo;
    }

    public static Optional<Key> key(String id) {
        Matcher m = ID.matcher(id);
        return m.matches() ? Optional.of(new Key(m.group(1), Integer.parseInt(m.group(2)))) : Optional.empty();
    }

    public static SupplyRequestStatus status(OrderStatus s) {
        return switch (s) {
            case RECEIVED -> SupplyRequestStatus.COMPLETED;
            case CANCELLED -> SupplyRequestStatus.CANCELLED;
            default -> SupplyRequestStatus.ACTIVE;
        };
    }

    /** The order statuses a SupplyRequest status code stands for; empty for a code no order line has. */
    public static Set<OrderStatus> statuses(String code) {
        return switch (code) {
            case "active" -> EnumSet.copyOf(ACTIVE);
            case "completed" -> EnumSet.of(OrderStatus.RECEIVED);
            case "cancelled" -> EnumSet.of(OrderStatus.CANCELLED);
            default -> EnumSet.noneOf(OrderStatus.class);
        };
    }

    static RequestPriority priority(Priority p) {
        return switch (p) {
            case ROUTINE -> RequestPriority.ROUTINE;
            case URGENT -> RequestPriority.URGENT;
            case EMERGENCY -> RequestPriority.STAT;
        };
    }

    public static SupplyRequest toFhir(BloodOrder o, BloodOrderLine l) {
        SupplyRequest r = new SupplyRequest();
        r.setId(id(o, l));
        r.getMeta().setVersionId(Long.toString(o.version));
        r.addIdentifier(new Identifier().setSystem(ORDER_IDENTIFIER).setValue(o.id));
        r.setStatus(status(o.status));
        r.setPriority(priority(o.priority));
        r.setItem(new CodeableReference(new CodeableConcept(
                new Coding(FhirSystems.COMPONENT, l.component.name(), l.component.nameEn()))));
        r.setQuantity(quantity(l.component, l.quantity));
        parameter(r, "abo", concept(FhirSystems.ABO, l.abo.name()));
        parameter(r, "rhd", concept(FhirSystems.RHD, l.rhd.name()));
        parameter(r, "allowSubstitution", new BooleanType(o.allowSubstitution));
        parameter(r, "irradiated", new BooleanType(l.irradiated));
        parameter(r, "cmvNegative", new BooleanType(l.cmvNegative));
        parameter(r, "lowTitre", new BooleanType(l.lowTitre));
        for (String antigen : new TreeSet<>(List.of(l.antigenNegative))) {
            parameter(r, "antigenNegative", concept(FhirSystems.ANTIGEN, antigen));
        }
        parameter(r, "allocatedQuantity", quantity(l.component, l.allocatedQuantity));
        if (o.neededBy != null) {
            r.setOccurrence(instant(o.neededBy));
        }
        r.setAuthoredOnElement(instant(o.createdAt));
        r.setRequester(new Reference("Location/" + o.locationId));
        r.setDeliverTo(new Reference("Location/" + o.locationId));
        return r;
    }

    /**
     * The order a created SupplyRequest places: one line. Refuses, naming every element at fault by its FHIRPath, what
     * it cannot place (422 {@code SUPPLY_REQUEST_INVALID}); the order's own rules (location, limits, neededBy) are
     * checked after, by {@link Orders}, as for {@code POST /orders}.
     */
    public static Orders.Submission submission(SupplyRequest r) {
        List<DomainException.FieldError> errors = new ArrayList<>();
        if (r.hasStatus() && r.getStatus() != SupplyRequestStatus.ACTIVE) {
            errors.add(new DomainException.FieldError("SupplyRequest.status", "a new request is active (or has no status)"));
        }
        Priority priority = null;
        if (!r.hasPriority()) {
            errors.add(new DomainException.FieldError("SupplyRequest.priority", "required: routine, urgent or stat"));
        } else {
            priority = switch (r.getPriority()) {
                case ROUTINE -> Priority.ROUTINE;
                case URGENT -> Priority.URGENT;
                case STAT -> Priority.EMERGENCY;
                default -> {
                    errors.add(new DomainException.FieldError("SupplyRequest.priority", "routine, urgent or stat"));
                    yield null;
                }
            };
        }
        Component component = null;
        List<Coding> components = r.getItem().getConcept().getCoding().stream()
                .filter(c -> FhirSystems.COMPONENT.equals(c.getSystem())).toList();
        if (components.size() != 1) {
            errors.add(new DomainException.FieldError("SupplyRequest.item",
                    "one coding of system " + FhirSystems.COMPONENT + " names the component"));
        } else {
            component = enumValue(Component.class, components.get(0).getCode(), "SupplyRequest.item", errors);
        }
        Integer quantity = null;
        BigDecimal value = r.getQuantity().getValue();
        if (value == null || value.signum() <= 0 || value.stripTrailingZeros().scale() > 0 || value.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            errors.add(new DomainException.FieldError("SupplyRequest.quantity",
                    "a positive whole number in the component's unit of issue"));
        } else {
            quantity = value.intValueExact();
        }
        String location = location(r.getRequester(), "SupplyRequest.requester", true, errors);
        String deliverTo = location(r.getDeliverTo(), "SupplyRequest.deliverTo", false, errors);
        if (location != null && deliverTo != null && !deliverTo.equals(location)) {
            errors.add(new DomainException.FieldError("SupplyRequest.deliverTo", "an order is delivered to its requester"));
        }
        java.time.Instant neededBy = null;
        if (r.hasOccurrence()) {
            if (r.getOccurrence() instanceof DateTimeType t && t.getValue() != null) {
                neededBy = t.getValue().toInstant();
            } else {
                errors.add(new DomainException.FieldError("SupplyRequest.occurrence", "neededBy as occurrenceDateTime"));
            }
        }
        Abo abo = null;
        RhD rhd = null;
        boolean aboGiven = false;
        boolean rhdGiven = false;
        Boolean allowSubstitution = null;
        boolean irradiated = false;
        boolean cmvNegative = false;
        boolean lowTitre = false;
        List<String> antigens = new ArrayList<>();
        for (int i = 0; i < r.getParameter().size(); i++) {
            var p = r.getParameter().get(i);
            String path = "SupplyRequest.parameter[" + i + "]";
            String code = p.getCode().getCoding().stream().filter(c -> FhirSystems.ORDER_PARAMETER.equals(c.getSystem()))
                    .map(Coding::getCode).findFirst().orElse(null);
            DataType v = p.getValue();
            switch (code == null ? "" : code) {
                case "abo" -> {
                    aboGiven = true;
                    abo = enumValue(Abo.class, conceptCode(v), path, errors);
                }
                case "rhd" -> {
                    rhdGiven = true;
                    rhd = enumValue(RhD.class, conceptCode(v), path, errors);
                }
                case "allowSubstitution" -> allowSubstitution = bool(v, path, errors);
                case "irradiated" -> irradiated = Boolean.TRUE.equals(bool(v, path, errors));
                case "cmvNegative" -> cmvNegative = Boolean.TRUE.equals(bool(v, path, errors));
                case "lowTitre" -> lowTitre = Boolean.TRUE.equals(bool(v, path, errors));
                case "antigenNegative" -> {
                    String antigen = conceptCode(v);
                    if (antigen == null) {
                        errors.add(new DomainException.FieldError(path, "valueCodeableConcept names the antigen"));
                    } else {
                        antigens.add(antigen);
                    }
                }
                default -> errors.add(new DomainException.FieldError(path + ".code", "a code of "
                        + FhirSystems.ORDER_PARAMETER + ": abo, rhd, allowSubstitution, irradiated, cmvNegative, "
                        + "lowTitre or antigenNegative"));
            }
        }
        if (!aboGiven) {
            errors.add(new DomainException.FieldError("SupplyRequest.parameter", "abo: a parameter abo (O, A, B, AB) is required"));
        }
        if (!rhdGiven) {
            errors.add(new DomainException.FieldError("SupplyRequest.parameter", "rhd: a parameter rhd (POS, NEG) is required"));
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid("SUPPLY_REQUEST_INVALID", "the SupplyRequest cannot be placed as an order: "
                    + errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return new Orders.Submission(location, priority, neededBy, allowSubstitution,
                List.of(new Orders.NewLine(component, abo, rhd, quantity, irradiated, cmvNegative, lowTitre, antigens)),
                null, null);
    }

    private static String location(Reference ref, String path, boolean required,
                                   List<DomainException.FieldError> errors) {
        String text = ref == null ? null : ref.getReference();
        if (text == null || text.isBlank()) {
            if (required) {
                errors.add(new DomainException.FieldError(path, "Location/<locationId> is required"));
            }
            return null;
        }
        for (String type : List.of("Location/", "Organization/")) {
            if (text.startsWith(type) && text.substring(type.length()).matches("[A-Z0-9]{1,10}")) {
                return text.substring(type.length());
            }
        }
        errors.add(new DomainException.FieldError(path, "Location/<locationId>, e.g. Location/H001"));
        return null;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String code, String path,
                                                   List<DomainException.FieldError> errors) {
        try {
            return Enum.valueOf(type, code);
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.add(new DomainException.FieldError(path, "'" + code + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }

    private static String conceptCode(DataType v) {
        return v instanceof CodeableConcept c && c.hasCoding() ? c.getCodingFirstRep().getCode() : null;
    }

    private static Boolean bool(DataType v, String path, List<DomainException.FieldError> errors) {
        if (v instanceof BooleanType b && b.getValue() != null) {
            return b.getValue();
        }
        errors.add(new DomainException.FieldError(path, "valueBoolean is required"));
        return null;
    }

    private static void parameter(SupplyRequest r, String code, DataType value) {
        r.addParameter().setCode(concept(FhirSystems.ORDER_PARAMETER, code)).setValue(value);
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    static Quantity quantity(Component c, int value) {
        Quantity q = new Quantity().setValue(value);
        return c.uom() == Uom.ML ? q.setUnit("mL").setSystem(FhirSystems.UCUM).setCode("mL") : q.setUnit(c.uom().name());
    }

    static DateTimeType instant(java.time.Instant at) {
        DateTimeType t = new DateTimeType(Date.from(at));
        t.setTimeZoneZulu(true);
        return t;
    }
}
