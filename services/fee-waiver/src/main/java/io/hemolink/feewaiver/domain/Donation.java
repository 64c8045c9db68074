package io.hemolink.feewaiver.domain;

import io.hemolink.contracts.events.feewaiver.DonationKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** One donation of a donor (the station's donation id is the key, so a donation counts once). */
@Entity
@Table(name = "donation")
public class Donation extends PanacheEntityBase {

    @Id
    public String donationId;

    public Long donorId;

    public Instant donatedAt;

    @Enumerated(EnumType.STRING)
    public DonationKind kind;

    public Integer volumeMl;

    public Integer doses;

    public boolean rhdNegative;

    /** The donation's group where known (ADR 0038), else null. */
    @Enumerated(EnumType.STRING)
    public io.hemolink.contracts.blood.Abo abo;

    @Enumerated(EnumType.STRING)
    public io.hemolink.contracts.blood.RhD rhd;

    /** API or KAFKA. */
    public String source;

    public String recordedBy;

    public Instant recordedAt;

    public static List<Donation> ofDonor(long donorId) {
        return list("donorId = ?1 order by donatedAt, donationId", donorId);
    }

    public RuleSet.Donation asRuleInput() {
        return new RuleSet.Donation(donatedAt, kind, volumeMl, doses, rhdNegative);
    }
}
