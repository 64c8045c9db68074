package io.hemolink.inventory.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.personal.PatientRefs;
import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.inventory.MovementType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Fates and holds the holder of a unit (or the station) records: transfused to a patient, discarded with a reason,
 * quarantined, released from quarantine. The rules of which status may follow which are here, in one place.
 */
@ApplicationScoped
public class UnitFates {

    /** What may be recorded through the API. */
    public enum Fate {
        TRANSFUSED, DISCARDED, QUARANTINED, RELEASED, IRRADIATED
    }

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    @Inject
    StockLedger ledger;

    @Inject
    Allocator allocator;

    @Inject
    io.hemolink.inventory.config.InventoryConfig config;

    /**
     * Checks that the fate may be recorded, and throws the refusal when not; reads and writes nothing. It has no
     * transaction of its own, so a consumer that catches the refusal (an event cannot be refused after the fact)
     * keeps its transaction for the rest of the event.
     *
     * @param mayDecideQuarantine whether the caller is station QA, who alone releases quarantined units and
     *                            discards them
     * @throws DomainException when the fate may not be recorded
     */
    public void check(Unit unit, Fate fate, String reason, DiscardReason reasonCode, String patientRef,
                      Instant occurredAt, boolean mayDecideQuarantine) {
        Instant now = Instant.now();
        if (occurredAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw DomainException.invalid("OCCURRED_IN_FUTURE", "occurredAt is in the future", "occurredAt");
        }
        if (unit.status.isFinal()) {
            throw DomainException.conflict("UNIT_FINAL", unit.din + " " + unit.component + " is already " + unit.status);
        }
        if (reasonCode != null && fate != Fate.DISCARDED) {
            throw DomainException.invalid("REASON_CODE_NOT_APPLICABLE", "only a discard carries a reasonCode", "reasonCode");
        }
        String why = reasonOf(reason);
        switch (fate) {
            case TRANSFUSED -> {
                require(unit, Set.of(UnitStatus.AVAILABLE, UnitStatus.RESERVED), fate);
                if (patientRef == null || patientRef.isBlank()) {
                    throw DomainException.invalid("PATIENT_REF_REQUIRED", "a transfusion names the patient reference", "patientRef");
                }
                PatientRefs.requireNotAnIdNumber(patientRef);
                if (unit.isExpiredAt(occurredAt)) {
                    throw DomainException.invalid("EXPIRED", "the unit had expired at " + unit.expiresAt, "occurredAt");
                }
            }
            case DISCARDED -> {
                if (reasonCode == null) {
                    throw DomainException.invalid("REASON_CODE_REQUIRED",
                            "a discard states its reasonCode (" + java.util.Arrays.toString(DiscardReason.values()) + ")",
                            "reasonCode");
                }
                if (reasonCode == DiscardReason.OTHER && why == null) {
                    throw DomainException.invalid("REASON_REQUIRED", "a discard coded OTHER says why in reason", "reason");
                }
                if (unit.status == UnitStatus.QUARANTINED && !mayDecideQuarantine) {
                    throw DomainException.forbidden("only station QA discards quarantined units");
                }
                require(unit, Set.of(UnitStatus.AVAILABLE, UnitStatus.RESERVED, UnitStatus.QUARANTINED), fate);
            }
            case QUARANTINED -> {
                if (why == null) {
                    throw DomainException.invalid("REASON_REQUIRED", "a quarantine states its reason", "reason");
                }
                require(unit, Set.of(UnitStatus.AVAILABLE, UnitStatus.RESERVED, UnitStatus.IN_TRANSIT), fate);
            }
            case IRRADIATED -> throw new IllegalArgumentException("irradiation is recorded by irradiate()");
            case RELEASED -> {
                if (!mayDecideQuarantine) {
                    throw DomainException.forbidden("only station QA releases quarantined units");
                }
                require(unit, Set.of(UnitStatus.QUARANTINED), fate);
                if (unit.isExpiredAt(now)) {
                    throw DomainException.invalid("EXPIRED", "the unit expired at " + unit.expiresAt, "type");
                }
            }
        }
    }

    /**
     * Records the fate through the ledger after {@link #check}; a refusal rolls the transaction back.
     *
     * @throws DomainException when the fate may not be recorded
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UnitMovement record(Unit unit, Fate fate, String reason, DiscardReason reasonCode, String patientRef,
                               Instant occurredAt, String actor, boolean mayDecideQuarantine) {
        check(unit, fate, reason, reasonCode, patientRef, occurredAt, mayDecideQuarantine);
        String why = reasonOf(reason);
        return switch (fate) {
            case TRANSFUSED -> ledger.record(unit, MovementType.TRANSFUSED, UnitStatus.TRANSFUSED, unit.locationId,
                    new StockLedger.Details(unit.orderId, why, patientRef.strip(), actor, occurredAt));
            case DISCARDED -> ledger.record(unit, MovementType.DISCARDED, UnitStatus.DISCARDED, unit.locationId,
                    new StockLedger.Details(unit.orderId, why == null ? reasonCode.name().toLowerCase() : why, null, actor,
                            occurredAt, reasonCode));
            case QUARANTINED -> hold(unit, why, actor, occurredAt);
            case IRRADIATED -> throw new IllegalArgumentException("irradiation is recorded by irradiate()");
            case RELEASED -> ledger.record(unit, MovementType.RELEASED, UnitStatus.AVAILABLE, unit.locationId,
                    new StockLedger.Details(null, why, null, actor, occurredAt));
        };
    }

    /**
     * Quarantines a bag wherever it is (a QA hold or a recall). A bag found faulty after allocation is held too: its
     * reservation is dropped and its line allocated again; one in transit stays held, so its receipt cannot put it
     * into stock. The bag must be AVAILABLE, RESERVED or IN_TRANSIT.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UnitMovement hold(Unit unit, String why, String actor, Instant at) {
        boolean wasReserved = unit.status == UnitStatus.RESERVED;
        String order = unit.orderId;
        UnitMovement held = ledger.record(unit, MovementType.QUARANTINED, UnitStatus.QUARANTINED, unit.locationId,
                new StockLedger.Details(null, why, null, actor, at));
        if (wasReserved) {
            unit.orderId = null;
            unit.orderLine = null;
            allocator.reservationLost(order, new Allocator.StockKey(unit.component, unit.abo, unit.rhd));
        }
        return held;
    }

    /**
     * The station irradiates a bag in its stock: it becomes irradiated and, for the components the configuration
     * names (red cells: 14 days by default), expires at most that long after the irradiation, never later than
     * before. Once only. A line waiting for irradiated blood of the bag's key is allocated after the commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UnitMovement irradiate(Unit unit, Instant occurredAt, String actor, boolean byStation) {
        if (!byStation) {
            throw DomainException.forbidden("only the station irradiates units");
        }
        if (occurredAt.isAfter(Instant.now().plus(CLOCK_SKEW))) {
            throw DomainException.invalid("OCCURRED_IN_FUTURE", "occurredAt is in the future", "occurredAt");
        }
        if (unit.special.irradiated) {
            throw DomainException.conflict("ALREADY_IRRADIATED", unit.din + " " + unit.component + " is already irradiated");
        }
        String notApplicable = io.hemolink.contracts.blood.Requirements.notApplicable(unit.component, true, false, null);
        if (notApplicable != null) {
            throw DomainException.invalid("ATTRIBUTE_NOT_APPLICABLE", unit.component + " is not irradiated", "type");
        }
        if (!io.hemolink.contracts.blood.LocationId.STATION.equals(unit.locationId)) {
            throw DomainException.conflict("NOT_AT_STATION", unit.din + " " + unit.component + " is at " + unit.locationId
                    + "; only bags in the station's stock are irradiated");
        }
        require(unit, Set.of(UnitStatus.AVAILABLE), Fate.IRRADIATED);
        if (unit.isExpiredAt(occurredAt)) {
            throw DomainException.invalid("EXPIRED", "the unit had expired at " + unit.expiresAt, "occurredAt");
        }
        Instant before = unit.expiresAt;
        java.time.Duration limit = config.irradiation().expiry().get(unit.component.productClass());
        if (limit != null && occurredAt.plus(limit).isBefore(unit.expiresAt)) {
            unit.expiresAt = occurredAt.plus(limit);
        }
        unit.special.irradiated = true;
        String detail = unit.expiresAt.equals(before) ? "irradiated"
                : "irradiated; expiry " + before + " -> " + unit.expiresAt;
        return ledger.record(unit, MovementType.IRRADIATED, UnitStatus.AVAILABLE, unit.locationId,
                new StockLedger.Details(null, detail, null, actor, occurredAt));
    }

    private static String reasonOf(String reason) {
        return reason == null || reason.isBlank() ? null : reason.strip();
    }

    private static void require(Unit unit, Set<UnitStatus> allowed, Fate fate) {
        if (!allowed.contains(unit.status)) {
            throw DomainException.conflict("INVALID_TRANSITION",
                    unit.din + " " + unit.component + " is " + unit.status + " and cannot be " + fate);
        }
    }
}
