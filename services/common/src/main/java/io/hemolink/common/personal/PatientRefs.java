package io.hemolink.common.personal;

import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.person.IdNumbers;

/**
 * A patient reference is the hospital's own (medical record number, bed and ward...), never a resident ID number:
 * the ledger and the storage points keep it, so an ID number there would be personal data stored in clear.
 */
public final class PatientRefs {

    private PatientRefs() {
    }

    /** 422 {@code PATIENT_REF_IS_ID_NUMBER} when {@code patientRef} has the shape of an ID number. */
    public static void requireNotAnIdNumber(String patientRef) {
        if (IdNumbers.looksLikeIdNumber(patientRef)) {
            throw DomainException.invalid("PATIENT_REF_IS_ID_NUMBER",
                    "use the hospital's patient reference, never a resident ID number", "patientRef");
        }
    }
}
