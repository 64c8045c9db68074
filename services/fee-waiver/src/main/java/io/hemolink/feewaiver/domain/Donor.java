package io.hemolink.feewaiver.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** A donor, found by the keyed hash of the ID number; the number and name only as ciphertext. */
@Entity
@Table(name = "donor")
public class Donor extends PanacheEntityBase {

    @Id
    public Long id;

    /** The public reference shown instead of the person (e.g. {@code D7KQ2M9XZ4T}). */
    public String ref;

    public String idHash;

    /** Null for a donor known only from the donations topic (hash only). */
    public String idEnc;

    public String nameEnc;

    public Instant createdAt;

    public static Optional<Donor> byHash(String idHash) {
        return find("idHash", idHash).firstResultOptional();
    }

    public static Optional<Donor> byRef(String ref) {
        return find("ref", ref).firstResultOptional();
    }
}
