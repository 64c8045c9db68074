package io.hemolink.contracts.events.feewaiver;

import java.time.Instant;

/**
 * A donation from the station's donor system. The donor is named only by a keyed hash of the ID number, never the
 * number itself. Key: donation id.
 */
public record DonationRecorded(String donationId, String donorIdHash, Instant donatedAt, DonationKind kind,
                               Integer volumeMl, Integer doses, boolean rhdNegative) {
}
