package io.hemolink.contracts.compat;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.BloodGroup;
import io.hemolink.contracts.blood.ProductClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.StringReader;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompatibilityTableTest {

    private final CompatibilityTable table = CompatibilityTable.defaults();

    /** Every row of domain.md's table, first choice first. */
    @ParameterizedTest(name = "{0} for patient {1}: {2}")
    @CsvSource({
            "RED_CELLS, O,  O",
            "RED_CELLS, A,  A O",
            "RED_CELLS, B,  B O",
            "RED_CELLS, AB, AB A B O",
            "PLATELETS, O,  O A B",
            "PLATELETS, A,  A AB B O",
            "PLATELETS, B,  B AB A O",
            "PLATELETS, AB, AB A B O",
            "PLASMA,    O,  O A B AB",
            "PLASMA,    A,  A AB",
            "PLASMA,    B,  B AB",
            "PLASMA,    AB, AB",
    })
    void aboPreferenceOrder(ProductClass productClass, Abo patient, String expected) {
        assertEquals(abos(expected), table.donorAboChoices(productClass, patient));
    }

    @ParameterizedTest(name = "unknown patient, {0}: {1}")
    @CsvSource({"RED_CELLS, O", "PLATELETS, A O", "PLASMA, AB"})
    void unknownPatientGroup(ProductClass productClass, String expected) {
        assertEquals(abos(expected), table.aboChoicesForUnknownPatient(productClass).stream().map(CompatibilityTable.Choice::abo).toList());
    }

    @Test
    void lowTitreOnlyForOutOfGroupPlateletsOfAAndB() {
        List<CompatibilityTable.Choice> a = table.aboChoices(ProductClass.PLATELETS, Abo.A);
        assertFalse(a.get(0).lowTitreOnly());
        assertFalse(a.get(1).lowTitreOnly());
        assertTrue(a.get(2).lowTitreOnly());
        assertTrue(a.get(3).lowTitreOnly());
    }

    @ParameterizedTest(name = "{0} for {1}: {2}")
    @CsvSource({
            "RED_CELLS, O-,  O-",
            "RED_CELLS, O+,  O+ O-",
            "RED_CELLS, AB-, AB- A- B- O-",
            "RED_CELLS, AB+, AB+ A+ B+ O+ AB- A- B- O-",
            "PLATELETS, A-,  A- AB- B- O-",
            "PLATELETS, B+,  B+ AB+ A+ O+ B- AB- A- O-",
            "PLASMA,    A-,  A- A+ AB- AB+",
            "PLASMA,    O+,  O+ O- A+ A- B+ B- AB+ AB-",
    })
    void rhdRule(ProductClass productClass, String patient, String expected) {
        assertEquals(groups(expected), table.donorChoices(productClass, BloodGroup.parse(patient)));
    }

    @Test
    void unknownPatientGetsRhDNegativeRedCellsFirst() {
        assertEquals(groups("O- O+"), table.donorChoicesForUnknownPatient(ProductClass.RED_CELLS));
        assertEquals(groups("AB+ AB-"), table.donorChoicesForUnknownPatient(ProductClass.PLASMA));
    }

    @Test
    void compatibleAnswersFromTheTable() {
        assertTrue(table.compatible(ProductClass.RED_CELLS, BloodGroup.parse("O-"), BloodGroup.parse("AB+")));
        assertFalse(table.compatible(ProductClass.RED_CELLS, BloodGroup.parse("A+"), BloodGroup.parse("O+")));
        assertFalse(table.compatible(ProductClass.RED_CELLS, BloodGroup.parse("O+"), BloodGroup.parse("O-")));
        assertTrue(table.compatible(ProductClass.PLASMA, BloodGroup.parse("AB+"), BloodGroup.parse("O-")));
        assertFalse(table.compatible(ProductClass.PLASMA, BloodGroup.parse("O+"), BloodGroup.parse("A+")));
    }

    @Test
    void plateletsOfAnotherGroupWhereTheTableSaysLowTitreGoOnlyAsLowTitreBags() {
        BloodGroup patient = BloodGroup.parse("A+");
        var options = table.donorOptions(ProductClass.PLATELETS, patient);
        assertEquals(table.donorChoices(ProductClass.PLATELETS, patient), options.stream()
                .map(io.hemolink.contracts.compat.CompatibilityTable.DonorOption::group).toList());
        assertFalse(options.get(0).lowTitreOnly(), "A to A needs no low titre");
        assertTrue(options.stream().filter(o -> o.group().equals(BloodGroup.parse("B+"))).allMatch(
                io.hemolink.contracts.compat.CompatibilityTable.DonorOption::lowTitreOnly));
        assertFalse(table.compatible(ProductClass.PLATELETS, BloodGroup.parse("O+"), false, patient));
        assertTrue(table.compatible(ProductClass.PLATELETS, BloodGroup.parse("O+"), true, patient));
        assertTrue(table.compatible(ProductClass.PLATELETS, BloodGroup.parse("AB+"), false, patient));
        // red cells carry no low-titre marker
        assertTrue(table.donorOptions(ProductClass.RED_CELLS, BloodGroup.parse("AB+")).stream()
                .noneMatch(io.hemolink.contracts.compat.CompatibilityTable.DonorOption::lowTitreOnly));
    }

    @Test
    void aStationMayLoadItsOwnVersion() throws Exception {
        StringBuilder tsv = new StringBuilder("version\tstation-2027\n");
        for (ProductClass pc : ProductClass.values()) {
            for (Abo abo : Abo.values()) {
                tsv.append(pc).append('\t').append(abo).append('\t').append(abo).append('\n');
            }
            tsv.append(pc).append("\tUNKNOWN\tO\n");
        }
        CompatibilityTable own = CompatibilityTable.load(new StringReader(tsv.toString()));
        assertEquals("station-2027", own.version());
        assertEquals(List.of(Abo.AB), own.donorAboChoices(ProductClass.RED_CELLS, Abo.AB));
        assertEquals("v1", table.version());
    }

    @Test
    void anIncompleteTableIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> CompatibilityTable.load(new StringReader("version\tx\nRED_CELLS\tO\tO\n")));
        assertThrows(IllegalArgumentException.class,
                () -> CompatibilityTable.load(new StringReader("RED_CELLS\tO\tO\n")));
    }

    private static List<Abo> abos(String s) {
        return Arrays.stream(s.trim().split(" +")).map(Abo::valueOf).toList();
    }

    private static List<BloodGroup> groups(String s) {
        return Arrays.stream(s.trim().split(" +")).map(BloodGroup::parse).toList();
    }
}
