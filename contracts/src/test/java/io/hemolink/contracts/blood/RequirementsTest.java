package io.hemolink.contracts.blood;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequirementsTest {

    private static UnitAttributes bag(boolean irradiated, boolean cmvNegative, boolean lowTitre, String... antigenNegative) {
        return new UnitAttributes(irradiated, cmvNegative, lowTitre, List.of(antigenNegative), null);
    }

    @Test
    void aBagMeetsALineOnlyWhenItHasEveryAttributeAsked() {
        Requirements irradiated = new Requirements(true, false, false, List.of());
        assertTrue(irradiated.metBy(bag(true, false, false)));
        assertFalse(irradiated.metBy(bag(false, true, true, "K")));
        assertFalse(irradiated.metBy(null), "a bag without attributes meets no requirement");

        Requirements kFyaNegCmv = new Requirements(false, true, false, List.of("K", "Fya"));
        assertTrue(kFyaNegCmv.metBy(bag(false, true, false, "Fya", "K", "E")));
        assertFalse(kFyaNegCmv.metBy(bag(false, true, false, "K")));
        assertFalse(kFyaNegCmv.metBy(bag(true, false, false, "K", "Fya")));
        assertEquals(List.of("cmvNegative", "antigenNegative Fya"), kFyaNegCmv.unmetBy(bag(false, false, false, "K")));

        assertTrue(Requirements.NONE.metBy(bag(false, false, false)));
        assertFalse(Requirements.NONE.any());
        assertTrue(new Requirements(false, false, true, null).any());
    }

    @Test
    void antigenNamesAreCaseSensitiveAndCheckedAgainstTheList() {
        assertFalse(new Requirements(false, false, false, List.of("c")).metBy(bag(false, false, false, "C")));
        assertNull(RedCellAntigens.firstUnknown(List.of("C", "c", "Jkb"), RedCellAntigens.DEFAULT));
        assertEquals("Kell", RedCellAntigens.firstUnknown(List.of("K", "Kell"), RedCellAntigens.DEFAULT));
    }

    @Test
    void plasmaIsNeverIrradiatedOrCmvTypedAndOnlyRedCellsCarryAntigenTyping() {
        assertEquals("irradiated", Requirements.notApplicable(Component.FFP, true, false, List.of()));
        assertEquals("cmvNegative", Requirements.notApplicable(Component.CRYO, false, true, List.of()));
        assertEquals("antigenNegative", Requirements.notApplicable(Component.PLT_AP, false, false, List.of("K")));
        assertNull(Requirements.notApplicable(Component.PLT_AP, true, true, List.of()));
        assertNull(Requirements.notApplicable(Component.WB, true, true, List.of("K")));
        assertNull(Requirements.notApplicable(Component.FFP, false, false, null));
    }

    @Test
    void productCodesAreALetterAndFourDigits() {
        assertTrue(UnitAttributes.isProductCode("E0336"));
        assertFalse(UnitAttributes.isProductCode("e0336"));
        assertFalse(UnitAttributes.isProductCode("E336"));
        assertFalse(UnitAttributes.isProductCode("E03361"));
        assertFalse(UnitAttributes.isProductCode(null));
        assertTrue(bag(false, false, false).irradiatedNow().irradiated());
    }
}
