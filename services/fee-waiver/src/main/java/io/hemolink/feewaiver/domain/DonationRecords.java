package io.hemolink.feewaiver.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.kafka.PoisonEventException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.feewaiver.DonationKind;
import io.hemolink.contracts.events.feewaiver.DonationRecorded;
import io.hemolink.contracts.person.IdNumbers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Donations, from the waiver administration (with the ID number) or the station's donor system (with its hash
 * only). A donation id counts once, however often it arrives. A donation the administration records is published as
 * {@code DonationRecorded} on the donations topic (through the outbox, with the donor's keyed hash only), so the topic
 * carries every donation and the inventory counts them towards recruitment appeals (ADR 0038); the donor system's own
 * events are on the topic already. The group ({@code abo}, {@code rhd}) is optional; a given {@code rhd} must agree
 * with {@code rhdNegative}, and with only {@code abo} given the RhD is taken from {@code rhdNegative}.
 */
@ApplicationScoped
public class DonationRecords {

    private static final Pattern DONATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,40}");

    /** What the administration says about a donation. */
    public record Request(String donationId, String donorIdNumber, String donorName, Instant donatedAt,
                          DonationKind kind, Integer volumeMl, Integer doses, boolean rhdNegative, Abo abo, RhD rhd) {
    }

    /** The donation and its donor, and whether this call recorded it. */
    public record Recorded(Donation donation, Donor donor, boolean created) {
    }

    @Inject
    Donors donors;

    @Inject
    PersonalData personalData;

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Transactional(Transactional.TxType.MANDATORY)
    public Recorded record(Request r, String actor) {
        String idNumber = IdNumbers.canonical(r.donorIdNumber());
        if (idNumber == null) {
            throw idInvalid("donorIdNumber");
        }
        String problem = check(r.donationId(), r.donatedAt(), r.kind(), r.volumeMl(), r.doses());
        if (problem == null) {
            problem = checkGroup(r.abo(), r.rhd(), r.rhdNegative());
        }
        if (problem != null) {
            throw DomainException.invalid("DONATION_INVALID", problem.substring(problem.indexOf(':') + 2),
                    problem.substring(0, problem.indexOf(':')));
        }
        RhD rhd = rhd(r.abo(), r.rhd(), r.rhdNegative());
        Donor donor = donors.upsert(personalData.hash(idNumber), personalData.encrypt(idNumber),
                personalData.encrypt(r.donorName().strip()));
        Donation existing = Donation.findById(r.donationId());
        if (existing != null) {
            if (!existing.donorId.equals(donor.id)) {
                throw DomainException.conflict("DONATION_EXISTS", "donation " + r.donationId()
                        + " is already recorded for another donor");
            }
            return new Recorded(existing, donor, false);
        }
        boolean inserted = insert(r.donationId(), donor.id, r.donatedAt(), r.kind(), r.volumeMl(), r.doses(),
                r.rhdNegative(), r.abo(), rhd, "API", actor);
        Donation d = Donation.findById(r.donationId());
        if (!inserted && !d.donorId.equals(donor.id)) {
            throw DomainException.conflict("DONATION_EXISTS", "donation " + r.donationId()
                    + " is already recorded for another donor");
        }
        if (inserted) {
            outbox.publish(Events.DONATION_RECORDED, d.donationId, "donation/" + d.donationId,
                    new DonationRecorded(d.donationId, donor.idHash, d.donatedAt, d.kind, d.volumeMl, d.doses,
                            d.rhdNegative, d.abo, d.rhd));
        }
        return new Recorded(d, donor, inserted);
    }

    /** A donation from the donations topic; an unusable one is poison (dead-letter topic). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean fromStation(DonationRecorded e) {
        if (!PersonalData.isHash(e.donorIdHash())) {
            throw new PoisonEventException("donation " + e.donationId() + " does not name its donor by a 64-hex hash");
        }
        String problem = check(e.donationId(), e.donatedAt(), e.kind(), e.volumeMl(), e.doses());
        if (problem == null) {
            problem = checkGroup(e.abo(), e.rhd(), e.rhdNegative());
        }
        if (problem != null) {
            throw new PoisonEventException("donation event unusable: " + problem);
        }
        Donor donor = donors.upsert(e.donorIdHash(), null, null);
        return insert(e.donationId(), donor.id, e.donatedAt(), e.kind(), e.volumeMl(), e.doses(), e.rhdNegative(),
                e.abo(), rhd(e.abo(), e.rhd(), e.rhdNegative()), "KAFKA", "station-donor-system");
    }

    private boolean insert(String donationId, long donorId, Instant donatedAt, DonationKind kind, Integer volumeMl,
                           Integer doses, boolean rhdNegative, Abo abo, RhD rhd, String source, String actor) {
        Integer d = kind == DonationKind.APHERESIS_PLATELETS && doses == null ? Integer.valueOf(1) : doses;
        return em.createNativeQuery("insert into donation (donation_id, donor_id, donated_at, kind, volume_ml, doses,"
                        + " rhd_negative, source, recorded_by, abo, rhd) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                        + " on conflict (donation_id) do nothing")
                .setParameter(1, donationId)
                .setParameter(2, donorId)
                .setParameter(3, donatedAt)
                .setParameter(4, kind.name())
                .setParameter(5, volumeMl)
                .setParameter(6, d)
                .setParameter(7, rhdNegative)
                .setParameter(8, source)
                .setParameter(9, actor)
                .setParameter(10, abo == null ? null : abo.name())
                .setParameter(11, rhd == null ? null : rhd.name())
                .executeUpdate() == 1;
    }

    /** "field: what is wrong", or null when the donation makes sense. */
    static String check(String donationId, Instant donatedAt, DonationKind kind, Integer volumeMl, Integer doses) {
        if (donationId == null || !DONATION_ID.matcher(donationId).matches()) {
            return "donationId: 1-40 letters, digits or . _ : -";
        }
        if (donatedAt == null || kind == null) {
            return (donatedAt == null ? "donatedAt" : "kind") + ": required";
        }
        if (donatedAt.isAfter(Instant.now().plus(Duration.ofMinutes(5)))) {
            return "donatedAt: a donation cannot be in the future";
        }
        if (kind == DonationKind.WHOLE_BLOOD) {
            if (volumeMl == null || volumeMl < 50 || volumeMl > 800) {
                return "volumeMl: a whole-blood donation has a volume of 50-800 ml";
            }
            if (doses != null) {
                return "doses: only apheresis platelet donations have doses";
            }
        } else {
            if (doses != null && (doses < 1 || doses > 3)) {
                return "doses: an apheresis donation gives 1-3 doses";
            }
            if (volumeMl != null && (volumeMl < 1 || volumeMl > 1000)) {
                return "volumeMl: out of range";
            }
        }
        return null;
    }

    /** "rhd: what is wrong" when a given RhD contradicts {@code rhdNegative}, else null. */
    static String checkGroup(Abo abo, RhD rhd, boolean rhdNegative) {
        if (rhd != null && (rhd == RhD.NEG) != rhdNegative) {
            return "rhd: " + rhd + " contradicts rhdNegative " + rhdNegative;
        }
        return null;
    }

    /** The donation's RhD: as given, or from {@code rhdNegative} when only the ABO group is given; else null. */
    static RhD rhd(Abo abo, RhD rhd, boolean rhdNegative) {
        if (rhd != null || abo == null) {
            return rhd;
        }
        return rhdNegative ? RhD.NEG : RhD.POS;
    }

    static DomainException idInvalid(String field) {
        return DomainException.invalid("ID_NUMBER_INVALID",
                "not a valid resident ID number (18 characters, GB 11643 check character)", field);
    }
}
