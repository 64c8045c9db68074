package io.hemolink.storagepoint.messaging;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitMovedFilterTest {

    private static String moved(String movement, String from, String to) {
        return "{\"din\":\"X123426000001\",\"component\":\"RBC\",\"attributes\":{\"irradiated\":true,\"antigens\":[\"K\"]},"
                + "\"movement\":" + quoted(movement) + ",\"fromLocationId\":" + quoted(from) + ",\"toLocationId\":"
                + quoted(to) + ",\"status\":\"AVAILABLE\",\"quantity\":1}";
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    @Test
    void movementsBetweenTheStationAndHospitalsAreSkipped() {
        assertFalse(UnitMovedFilter.concernsStoragePoints(moved("RELEASED", null, "STATION")));
        assertFalse(UnitMovedFilter.concernsStoragePoints(moved("RESERVED", "STATION", "STATION")));
        assertFalse(UnitMovedFilter.concernsStoragePoints(moved("DISPATCHED", "STATION", "H001")));
        assertFalse(UnitMovedFilter.concernsStoragePoints(moved("RECEIVED", "H001", "H001")));
    }

    @Test
    void movementsOfAStoragePointAndTransfusionsAnywhereAreKept() {
        assertTrue(UnitMovedFilter.concernsStoragePoints(moved("RECEIVED", "STATION", "SP01")));
        assertTrue(UnitMovedFilter.concernsStoragePoints(moved("DISPATCHED", "SP01", "H002")));
        assertTrue(UnitMovedFilter.concernsStoragePoints(moved("RESERVED", "SP01", "SP01")));
        assertTrue(UnitMovedFilter.concernsStoragePoints(moved("TRANSFUSED", "H001", "H001")));
    }

    @Test
    void whatTheFilterCannotReadGoesToTheNormalPathToBeDeadLettered() {
        assertTrue(UnitMovedFilter.concernsStoragePoints("{\"din\":\"x\",\"component\":\"BLOOD\"}"));
        assertTrue(UnitMovedFilter.concernsStoragePoints("not json"));
        assertTrue(UnitMovedFilter.concernsStoragePoints("{\"movement\":\"RECEIVED\",\"toLocationId\":\"H001\""));
        assertTrue(UnitMovedFilter.concernsStoragePoints(moved("RECEIVED", "H001", null)));
        assertTrue(UnitMovedFilter.concernsStoragePoints("[1,2]"));
    }
}
