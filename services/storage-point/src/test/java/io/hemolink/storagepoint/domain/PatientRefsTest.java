package io.hemolink.storagepoint.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatientRefsTest {

    @Test
    void residentIdNumbersWithTheirCheckCharacterAreRecognised() {
        assertTrue(PatientRefs.looksLikeResidentIdNumber("11010519491231002X"));
        assertTrue(PatientRefs.looksLikeResidentIdNumber("11010519491231002x"));
        assertTrue(PatientRefs.looksLikeResidentIdNumber("440524188001010014"));
        assertFalse(PatientRefs.looksLikeResidentIdNumber("110105194912310021"), "wrong check character");
        assertFalse(PatientRefs.looksLikeResidentIdNumber("MRN-2026-000123"));
        assertFalse(PatientRefs.looksLikeResidentIdNumber("12345"));
    }
}
