package io.hemolink.feewaiver.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.person.IdNumbers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.UUID;

/** Relatives of donors, registered with the evidence of the relation (household register, marriage certificate...). */
@ApplicationScoped
public class Relations {

    @Inject
    Donors donors;

    @Inject
    PersonalData personalData;

    @Inject
    EntityManager em;

    /** The relation and its donor. */
    public record Registered(DonorRelation relation, Donor donor, String donorIdNumber, String relativeIdNumber) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Registered register(String donorIdNumber, String relativeIdNumber, Relation relation, String evidenceRef,
                               String actor) {
        String donorId = IdNumbers.canonical(donorIdNumber);
        if (donorId == null) {
            throw DonationRecords.idInvalid("donorIdNumber");
        }
        String relativeId = IdNumbers.canonical(relativeIdNumber);
        if (relativeId == null) {
            throw DonationRecords.idInvalid("relativeIdNumber");
        }
        if (donorId.equals(relativeId)) {
            throw DomainException.invalid("RELATION_INVALID", "a donor is not their own relative", "relativeIdNumber");
        }
        Donor donor = donors.upsert(personalData.hash(donorId), personalData.encrypt(donorId), null);
        UUID id = UUID.randomUUID();
        int inserted = em.createNativeQuery("insert into donor_relation (id, donor_id, relative_hash, relative_enc, relation,"
                        + " evidence_ref, created_by) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (donor_id, relative_hash) do nothing")
                .setParameter(1, id)
                .setParameter(2, donor.id)
                .setParameter(3, personalData.hash(relativeId))
                .setParameter(4, personalData.encrypt(relativeId))
                .setParameter(5, relation.name())
                .setParameter(6, evidenceRef.strip())
                .setParameter(7, actor)
                .executeUpdate();
        if (inserted == 0) {
            throw DomainException.conflict("RELATION_EXISTS", "this relative is already registered for donor " + donor.ref);
        }
        return new Registered(DonorRelation.findById(id), donor, donorId, relativeId);
    }
}
