package io.hemolink.feewaiver.api;

import io.hemolink.feewaiver.domain.PersonalData;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Idempotency-Key log compares a repeated request by: the body with ID numbers and names replaced by their
 * keyed hashes, so not even an unkeyed digest of personal data reaches the shared idempotency table.
 */
final class Fingerprints {

    private Fingerprints() {
    }

    static Map<String, Object> of(FeeWaiverDtos.NewDonation b, PersonalData p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("donationId", b.donationId());
        m.put("donor", p.hash("id:" + b.donorIdNumber()));
        m.put("name", p.hash("name:" + b.donorName()));
        m.put("donatedAt", String.valueOf(b.donatedAt()));
        m.put("kind", String.valueOf(b.kind()));
        m.put("volumeMl", b.volumeMl());
        m.put("doses", b.doses());
        m.put("rhdNegative", b.rhdNegative());
        m.put("abo", b.abo());
        m.put("rhd", b.rhd());
        return m;
    }

    static Map<String, Object> of(FeeWaiverDtos.NewRelation b, PersonalData p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("donor", p.hash("id:" + b.donorIdNumber()));
        m.put("relative", p.hash("id:" + b.relativeIdNumber()));
        m.put("relation", String.valueOf(b.relation()));
        m.put("evidenceRef", b.evidenceRef());
        return m;
    }

    static Map<String, Object> of(FeeWaiverDtos.Bill b, PersonalData p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hospitalId", b.hospitalId());
        m.put("billNo", b.billNo());
        m.put("patient", p.hash("id:" + b.patientIdNumber()));
        m.put("name", p.hash("name:" + b.patientName()));
        m.put("items", b.items());
        m.put("insuranceCoveredYuan", b.insuranceCoveredYuan());
        return m;
    }
}
