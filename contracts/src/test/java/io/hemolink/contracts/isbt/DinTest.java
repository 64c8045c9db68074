package io.hemolink.contracts.isbt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DinTest {

    @Test
    void workedExampleOfDomainBrief() {
        // G123498654321: sum 148354, r = 21, check value 17 -> H
        assertEquals('H', Din.checkCharacter("G123498654321"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "G123498654321H      | G123498654321H",
            "g123498654321h      | G123498654321H",
            "'  G123498654321H  '| G123498654321H",
            "G1234 98 654321 H   | G123498654321H",
            "=G12349865432100    | G123498654321H",
            "=g12349865432100    | G123498654321H",
            "=G123498654321A1    | G123498654321H",
    })
    void acceptedFormsAreCanonicalised(String input, String canonical) {
        assertEquals(canonical, Din.parse(input).canonical());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "G123498654321A     | CHECK_CHARACTER",
            "G123498654321      | LENGTH",
            "G123498654321HH    | LENGTH",
            "''                 | LENGTH",
            "O123498654321H     | FACILITY",
            "0123498654321H     | FACILITY",
            "G12-498654321H     | FORMAT",
            "G1234A8654321H     | FORMAT",
            "G123498654321-     | FORMAT",
            "=G123498654321     | LENGTH",
            "=G123498654321!!   | FORMAT",
            "=O12349865432100   | FACILITY",
    })
    void rejectedWithAReason(String input, InvalidDinException.Reason reason) {
        InvalidDinException e = assertThrows(InvalidDinException.class, () -> Din.parse(input));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void nullIsRejected() {
        assertEquals(InvalidDinException.Reason.LENGTH,
                assertThrows(InvalidDinException.class, () -> Din.parse(null)).reason());
    }

    @Test
    void partsOfTheNumber() {
        Din din = Din.parse("G123498654321H");
        assertEquals("G1234", din.facilityCode());
        assertEquals("98", din.year());
        assertEquals("654321", din.sequence());
    }

    @Test
    void everyCheckValueRoundTrips() {
        // vary the sequence until every one of the 37 check characters (0-9, A-Z, *) has been produced and parsed
        java.util.Set<Character> seen = new java.util.HashSet<>();
        for (int seq = 0; seq < 5000 && seen.size() < 37; seq++) {
            String data = String.format("W1234%02d%06d", 24, seq);
            char check = Din.checkCharacter(data);
            seen.add(check);
            assertEquals(data + check, Din.parse(data + check).canonical());
        }
        assertEquals(37, seen.size(), "all check characters, '*' included, occur: " + seen);
    }
}
