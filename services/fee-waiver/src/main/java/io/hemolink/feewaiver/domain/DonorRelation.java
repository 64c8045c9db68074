package io.hemolink.feewaiver.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A relative of a donor (by the keyed hash of the relative's ID number), with the evidence of the relation. */
@Entity
@Table(name = "donor_relation")
public class DonorRelation extends PanacheEntityBase {

    @Id
    public UUID id;

    public Long donorId;

    public String relativeHash;

    public String relativeEnc;

    @Enumerated(EnumType.STRING)
    public Relation relation;

    public String evidenceRef;

    public String createdBy;

    public Instant createdAt;

    /** The relations in which the holder of {@code relativeHash} is the relative, in a stable order. */
    public static List<DonorRelation> ofRelative(String relativeHash) {
        return list("relativeHash = ?1 order by donorId", relativeHash);
    }

    public static List<DonorRelation> ofDonor(long donorId) {
        return list("donorId = ?1 order by createdAt, id", donorId);
    }
}
