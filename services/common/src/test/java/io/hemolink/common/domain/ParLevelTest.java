package io.hemolink.common.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParLevelTest {

    @Test
    void theTopUpBringsTheKeyBackToTargetCountingWhatIsComing() {
        ParLevel par = new ParLevel(4, 10);
        assertTrue(par.isBelow(3));
        assertFalse(par.isBelow(4));
        assertEquals(10 + 2 - 3 - 1 - 4, par.topUp(3, 1, 4, 2));
        assertEquals(0, par.topUp(9, 3, 0, 1), "never negative");
    }

    @Test
    void levelsAreRefusedWhenNegativeTooLargeOrReversed() {
        assertEquals("PAR_LEVEL_INVALID", assertThrows(DomainException.class, () -> new ParLevel(-1, 5)).code());
        assertEquals("PAR_LEVEL_INVALID", assertThrows(DomainException.class, () -> new ParLevel(6, 5)).code());
        assertEquals("PAR_LEVEL_INVALID",
                assertThrows(DomainException.class, () -> new ParLevel(0, ParLevel.MAX + 1)).code());
    }
}
