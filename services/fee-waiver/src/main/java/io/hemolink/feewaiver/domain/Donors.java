package io.hemolink.feewaiver.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;

/** Donors by the hash of their ID number: created on first sight, races settled by the unique hash. */
@ApplicationScoped
public class Donors {

    private static final char[] REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".toCharArray();
    private final SecureRandom random = new SecureRandom();

    @Inject
    EntityManager em;

    /**
     * The donor with {@code idHash}, created when new. A known ciphertext of the ID number is kept (a donor first
     * seen on the topic gets it later); a given name replaces the one held.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Donor upsert(String idHash, String idEnc, String nameEnc) {
        Number id = (Number) em.createNativeQuery("insert into donor (ref, id_hash, id_enc, name_enc) values (?1, ?2, ?3, ?4)"
                        + " on conflict (id_hash) do update set id_enc = coalesce(donor.id_enc, excluded.id_enc),"
                        + " name_enc = coalesce(excluded.name_enc, donor.name_enc) returning id")
                .setParameter(1, newRef())
                .setParameter(2, idHash)
                .setParameter(3, idEnc)
                .setParameter(4, nameEnc)
                .getSingleResult();
        Donor donor = Donor.findById(id.longValue());
        em.refresh(donor);
        return donor;
    }

    /**
     * Locks the donors (in id order, so two claims never wait on each other crosswise): the entitlement of a donor
     * is read and taken by one claim at a time, whichever instance or hospital it comes from.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(Collection<Long> donorIds) {
        if (donorIds.isEmpty()) {
            return;
        }
        List<Long> ids = donorIds.stream().distinct().sorted().toList();
        em.createNativeQuery("select id from donor where id in (:ids) order by id for update")
                .setParameter("ids", ids)
                .getResultList();
    }

    private String newRef() {
        StringBuilder sb = new StringBuilder("D");
        for (int i = 0; i < 11; i++) {
            sb.append(REF_ALPHABET[random.nextInt(REF_ALPHABET.length)]);
        }
        return sb.toString();
    }
}
