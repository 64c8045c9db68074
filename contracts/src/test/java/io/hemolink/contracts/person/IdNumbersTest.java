package io.hemolink.contracts.person;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdNumbersTest {

    @Test
    void theStandardsExampleAndAnXCheckCharacterAreValid() {
        assertEquals("11010519491231002X", IdNumbers.canonical("11010519491231002X"));
        assertEquals("11010519491231002X", IdNumbers.canonical(" 11010519491231002x "), "lower-case x and blanks");
        assertEquals("440524198001010013", IdNumbers.canonical("440524198001010013"));
        assertNull(IdNumbers.canonical("440524188001010014"), "a right check character, but born before 1900");
        assertEquals('X', IdNumbers.checkCharacter("33010619900101123"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"110105194912310021", "11010519491231002", "11010519491231002XX", "1101051949123100 X",
            "110105194913310025", "A10105194912310020", "", "110105190002300020"})
    void wrongCheckCharacterLengthCharactersOrBirthDateAreRefused(String text) {
        assertNull(IdNumbers.canonical(text));
        assertFalse(IdNumbers.isValid(text));
    }

    @Test
    void masksShowOnlyTheRegionPrefixAndTheLastFour() {
        assertEquals("3301**********123X", IdNumbers.mask("33010619900101123X"));
        assertEquals("张*", IdNumbers.maskName("张三"));
        assertEquals("欧***", IdNumbers.maskName("欧阳娜娜"));
        assertEquals("L*", IdNumbers.maskName("L"));
    }

    @Test
    void theShapeOfAnIdNumberIsRecognisedEvenWithAWrongCheckCharacter() {
        assertTrue(IdNumbers.looksLikeIdNumber("11010519491231002x"));
        assertTrue(IdNumbers.looksLikeIdNumber("110105 19491231 0021"),
                "a mistyped one, written with blanks");
        assertFalse(IdNumbers.looksLikeIdNumber("MRN-2026-000123"));
        assertFalse(IdNumbers.looksLikeIdNumber("12345"));
        assertFalse(IdNumbers.looksLikeIdNumber(null));
    }
}
