package io.hemolink.storagepoint.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.personal.PatientRefs;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.BloodGroup;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.compat.CompatibilityTable;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.UnitIssued;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.utc;

/**
 * Issue to a patient at a storage point: the unit must be at the point, not expired, not quarantined, and ABO/RhD
 * compatible with the patient by the compatibility table, and meet the patient's special requirements (which name
 * only known antigens and what the component can have); then the issue is recorded, the unit leaves the point's
 * picture and UnitIssued tells the inventory to record the transfusion. The patient reference is the hospital's,
 * never a resident ID number; it is stored with the issue and never logged.
 */
@ApplicationScoped
public class Issues {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Replenishment replenishment;

    @Inject
    io.hemolink.common.domain.SpecialAttributeRules specialRules;

    CompatibilityTable table = CompatibilityTable.defaults();

    /** What was issued. */
    public record Issued(UUID issueId, String storagePointId, String din, Component component, Abo abo, RhD rhd,
                         int quantity, Instant expiresAt, String equipmentId, Abo patientAbo, RhD patientRhd,
                         String compatibilityTable, String actor, Instant at) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Issued issue(String pointId, String din, Component component, String patientRef, Abo patientAbo,
                        RhD patientRhd, io.hemolink.contracts.blood.Requirements requirements, String actor, Instant now) {
        PatientRefs.requireNotAnIdNumber(patientRef);
        // the same check as an order line's requirements: antigens from the station's list (ANTIGEN_UNKNOWN), and
        // nothing the component cannot have (REQUIREMENT_NOT_APPLICABLE), before anything is read or changed
        specialRules.check(component, requirements.irradiated(), requirements.cmvNegative(),
                requirements.antigenNegative(), "", "REQUIREMENT_NOT_APPLICABLE");
        List<PointUnit> units = PointUnit.lockedAt(pointId, din, component);
        if (units.isEmpty()) {
            throw DomainException.notFound("unit " + din + " " + component + " at " + pointId);
        }
        PointUnit u = units.get(0);
        if (u.expiresAt == null) {
            throw DomainException.invalid("EXPIRY_UNKNOWN", "the unit's expiry is not known here; it cannot be issued", "din");
        }
        if (u.expiredAt(now)) {
            throw DomainException.invalid("EXPIRED", "the unit expired at " + u.expiresAt, "din");
        }
        if (u.quarantined()) {
            throw DomainException.invalid("QUARANTINED", "the unit is quarantined until station QA decides", "din");
        }
        BloodGroup donor = BloodGroup.of(u.abo, u.rhd);
        BloodGroup patient = BloodGroup.of(patientAbo, patientRhd);
        List<String> unmet = requirements.unmetBy(u.attributes());
        if (!unmet.isEmpty()) {
            throw DomainException.invalid("REQUIREMENT_NOT_MET", "the unit does not meet the patient's requirements: "
                    + String.join(", ", unmet), unmet.get(0).split(" ")[0]);
        }
        if (!table.compatible(component.productClass(), donor, u.special.lowTitre, patient)) {
            throw DomainException.invalid("INCOMPATIBLE", component + " " + donor + " is not compatible with a "
                    + patient + " patient (compatibility table " + table.version() + ")", "patientAbo");
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into issue (id, storage_point_id, din, component, division, abo, rhd, patient_ref, patient_abo,
                                           patient_rhd, actor, issued_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)""")
                .setParameter(1, id).setParameter(2, pointId).setParameter(3, u.din).setParameter(4, component.name())
                .setParameter(5, u.division).setParameter(6, u.abo.name()).setParameter(7, u.rhd.name())
                .setParameter(8, patientRef.strip()).setParameter(9, patientAbo.name()).setParameter(10, patientRhd.name())
                .setParameter(11, actor).setParameter(12, utc(now))
                .executeUpdate();
        Issued issued = new Issued(id, pointId, u.din, component, u.abo, u.rhd, u.quantity, u.expiresAt, u.equipmentId,
                patientAbo, patientRhd, table.version(), actor, now);
        u.delete();
        outbox.publish(Events.UNIT_ISSUED, pointId, "unit/" + u.din + "/" + component,
                new UnitIssued(id.toString(), pointId, u.din, component.name(), patientRef.strip(), actor, now));
        em.flush();
        replenishment.evaluate(pointId, now);
        return issued;
    }
}
