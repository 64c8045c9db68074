package io.hemolink.common.personal;

import io.hemolink.common.domain.DomainException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PatientRefsTest {

    @Test
    void aReferenceShapedLikeAnIdNumberIsRefusedAndTheHospitalsOwnIsNot() {
        DomainException e = assertThrows(DomainException.class, () -> PatientRefs.requireNotAnIdNumber("11010519491231002X"));
        assertEquals("PATIENT_REF_IS_ID_NUMBER", e.code());
        assertEquals(DomainException.Kind.INVALID, e.kind());
        assertThrows(DomainException.class, () -> PatientRefs.requireNotAnIdNumber("110105 19491231 0021"));
        assertDoesNotThrow(() -> PatientRefs.requireNotAnIdNumber("BED-12-WARD-3"));
        assertDoesNotThrow(() -> PatientRefs.requireNotAnIdNumber("MRN-2026-000123"));
    }
}
