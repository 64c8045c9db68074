package io.hemolink.contracts.blood;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogueTest {

    @ParameterizedTest(name = "{0}: {1}, {2} h, {3}")
    @CsvSource({
            "WB,       U,    840,   RBC_FRIDGE",
            "RBC,      U,    840,   RBC_FRIDGE",
            "RBC_LR,   U,    840,   RBC_FRIDGE",
            "RBC_W,    U,    24,    RBC_FRIDGE",
            "FFP,      ML,   8760,  PLASMA_FREEZER",
            "FFP_VI,   ML,   8760,  PLASMA_FREEZER",
            "FP,       ML,   35040, PLASMA_FREEZER",
            "CRYO,     U,    8760,  PLASMA_FREEZER",
            "PLT_AP,   DOSE, 120,   PLT_AGITATOR",
            "PLT_POOL, DOSE, 120,   PLT_AGITATOR",
    })
    void unitShelfLifeAndStorageOfEveryComponent(Component c, Uom uom, long hours, EquipmentKind kind) {
        assertEquals(uom, c.uom());
        assertEquals(Duration.ofHours(hours), c.shelfLife());
        assertEquals(kind, c.storedIn());
    }

    @Test
    void storageRanges() {
        assertTrue(EquipmentKind.RBC_FRIDGE.range().contains(4));
        assertFalse(EquipmentKind.RBC_FRIDGE.range().contains(6.5));
        assertTrue(EquipmentKind.PLASMA_FREEZER.range().contains(-30));
        assertFalse(EquipmentKind.PLASMA_FREEZER.range().contains(-17));
        assertEquals(2.5, EquipmentKind.PLT_AGITATOR.range().distanceOutside(26.5));
    }

    @Test
    void bloodGroupsParseAndPrint() {
        assertEquals(8, BloodGroup.all().size());
        for (BloodGroup g : BloodGroup.all()) {
            assertEquals(g, BloodGroup.parse(g.toString()));
        }
        assertEquals(BloodGroup.of(Abo.AB, RhD.NEG), BloodGroup.parse(" ab- "));
        assertThrows(IllegalArgumentException.class, () -> BloodGroup.parse("C+"));
        assertThrows(IllegalArgumentException.class, () -> BloodGroup.parse("O"));
    }

    @Test
    void locationIds() {
        assertTrue(LocationId.isValid("STATION"));
        assertTrue(LocationId.isHospital("H001"));
        assertTrue(LocationId.isStoragePoint("SP01"));
        assertFalse(LocationId.isValid("H1"));
        assertFalse(LocationId.isValid("SP001"));
        assertFalse(LocationId.isValid(null));
    }
}
