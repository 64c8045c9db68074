package io.hemolink.inventory.domain;

import io.hemolink.common.kafka.PoisonEventException;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.feewaiver.DonationKind;
import io.hemolink.contracts.events.feewaiver.DonationRecorded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;

import static io.hemolink.common.db.SqlValues.utc;

/**
 * The donations the inventory counts towards recruitment appeals ({@code recruitment_donation}), from the
 * fee-waiver service's donations topic: the donation id (each counts once, whatever event brings it), when, its kind,
 * volume or doses and its group. Nothing of the donor: the event's donor hash is never stored here (ADR 0038). A
 * donation without its group counts for nothing and is not kept.
 */
@ApplicationScoped
public class RecruitmentDonations {

    @Inject
    EntityManager em;

    /** Keeps a donation with its group; false when it has none or was already kept. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(DonationRecorded e) {
        if (e.donationId() == null || e.donationId().isBlank() || e.donationId().length() > 40 || e.donatedAt() == null
                || e.kind() == null) {
            throw new PoisonEventException("a donation event needs its donationId (1-40 characters), donatedAt and kind");
        }
        if (e.abo() == null || e.rhd() == null) {
            return false;
        }
        Integer doses = e.kind() == DonationKind.APHERESIS_PLATELETS && e.doses() == null ? Integer.valueOf(1) : e.doses();
        return em.createNativeQuery("""
                        insert into recruitment_donation (donation_id, donated_at, kind, abo, rhd, volume_ml, doses)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (donation_id) do nothing""")
                .setParameter(1, e.donationId())
                .setParameter(2, utc(e.donatedAt()))
                .setParameter(3, e.kind().name())
                .setParameter(4, e.abo().name())
                .setParameter(5, e.rhd().name())
                .setParameter(6, e.volumeMl() == null ? null : Math.max(0, e.volumeMl()))
                .setParameter(7, doses == null ? null : Math.max(0, doses))
                .executeUpdate() == 1;
    }

    /** The donations of a group donated at or after {@code since}, by kind. */
    public Recruitment.Tally since(Abo abo, RhD rhd, Instant since) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        select count(*) filter (where kind = 'WHOLE_BLOOD'),
                               coalesce(sum(volume_ml) filter (where kind = 'WHOLE_BLOOD'), 0),
                               count(*) filter (where kind = 'APHERESIS_PLATELETS'),
                               coalesce(sum(doses) filter (where kind = 'APHERESIS_PLATELETS'), 0)
                        from recruitment_donation where abo = ?1 and rhd = ?2 and donated_at >= ?3""")
                .setParameter(1, abo.name()).setParameter(2, rhd.name())
                .setParameter(3, utc(since))
                .getSingleResult();
        return new Recruitment.Tally(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue(), ((Number) r[3]).longValue());
    }

    /** Forgets donations made before {@code before} (no open request counts them any more); returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int forgetBefore(Instant before) {
        return em.createNativeQuery("delete from recruitment_donation where donated_at < ?1")
                .setParameter(1, utc(before)).executeUpdate();
    }
}
