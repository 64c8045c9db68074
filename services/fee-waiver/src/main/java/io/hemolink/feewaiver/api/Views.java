package io.hemolink.feewaiver.api;

import io.hemolink.contracts.person.IdNumbers;
import io.hemolink.feewaiver.domain.Claims;
import io.hemolink.feewaiver.domain.Donation;
import io.hemolink.feewaiver.domain.Donor;
import io.hemolink.feewaiver.domain.PersonalData;
import io.hemolink.feewaiver.domain.Waiver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Responses with personal data masked: ciphertexts are opened only to be masked on the way out. */
@ApplicationScoped
public class Views {

    @Inject
    PersonalData personalData;

    @Inject
    Claims claims;

    String maskedId(String idEnc) {
        return idEnc == null ? null : IdNumbers.mask(personalData.decrypt(idEnc));
    }

    String maskedName(String nameEnc) {
        return nameEnc == null ? null : IdNumbers.maskName(personalData.decrypt(nameEnc));
    }

    FeeWaiverDtos.DonationView donation(Donation d, Donor donor) {
        return new FeeWaiverDtos.DonationView(d.donationId, donor.ref, maskedId(donor.idEnc), maskedName(donor.nameEnc),
                d.donatedAt, d.kind, d.volumeMl, d.doses, d.rhdNegative, d.abo, d.rhd, d.source);
    }

    FeeWaiverDtos.WaiverView waiver(Waiver w) {
        return new FeeWaiverDtos.WaiverView(w.id.toString(), w.hospitalId, w.billNo, w.status, maskedId(w.patientIdEnc),
                maskedName(w.patientNameEnc), w.ruleSet, w.billTotalYuan, w.insuranceCoveredYuan, w.waivedYuan,
                w.patientPaysYuan, claims.basis(w.id).stream().map(FeeWaiverDtos.BasisView::of).toList(), w.claimedAt,
                w.claimedBy, w.reversedAt, w.reversedBy, w.reversalReason);
    }
}
