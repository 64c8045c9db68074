package io.hemolink.contracts.events.feewaiver;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.RhD;

import java.time.Instant;

/**
 * A donation from the station's donor system. The donor is named only by a keyed hash of the ID number, never the
 * number itself. {@code abo} and {@code rhd} are the donation's group where the donor system gives it (null in events
 * older than 2026-12): what counts a donation towards a recruitment appeal. Key: donation id.
 */
public record DonationRecorded(String donationId, String donorIdHash, Instant donatedAt, DonationKind kind,
                               Integer volumeMl, Integer doses, boolean rhdNegative, Abo abo, RhD rhd) {

    /** A donation without its group. */
    public DonationRecorded(String donationId, String donorIdHash, Instant donatedAt, DonationKind kind,
                            Integer volumeMl, Integer doses, boolean rhdNegative) {
        this(donationId, donorIdHash, donatedAt, kind, volumeMl, doses, rhdNegative, null, null);
    }
}
