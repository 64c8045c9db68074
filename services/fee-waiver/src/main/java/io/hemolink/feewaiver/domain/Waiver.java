package io.hemolink.feewaiver.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Fees waived on one hospital bill (CLAIMED), or given back when the bill was cancelled (REVERSED). */
@Entity
@Table(name = "waiver")
public class Waiver extends PanacheEntityBase {

    public static final String CLAIMED = "CLAIMED";
    public static final String REVERSED = "REVERSED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public UUID id;

    public String hospitalId;

    public String billNo;

    /** Keyed hash of the claim as first made: the same bill claimed again with another body is refused. */
    public String requestHash;

    public String patientHash;

    public String patientIdEnc;

    public String patientNameEnc;

    public String ruleSet;

    public BigDecimal billTotalYuan;

    public BigDecimal insuranceCoveredYuan;

    public BigDecimal waivedYuan;

    public BigDecimal patientPaysYuan;

    public String status;

    public Instant claimedAt;

    public String claimMonth;

    public String claimedBy;

    public Instant reversedAt;

    public String reversalMonth;

    public String reversedBy;

    public String reversalReason;

    public static Optional<Waiver> byBill(String hospitalId, String billNo) {
        return find("hospitalId = ?1 and billNo = ?2", hospitalId, billNo).firstResultOptional();
    }

    public static Optional<Waiver> byId(UUID id) {
        return find("id", id).firstResultOptional();
    }

    public static Optional<Waiver> byIdForUpdate(UUID id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
