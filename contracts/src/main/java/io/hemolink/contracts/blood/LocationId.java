package io.hemolink.contracts.blood;

import java.util.regex.Pattern;

/** Location ids: {@code STATION} (the central store), hospitals {@code H001}…, storage points {@code SP01}…. */
public final class LocationId {

    public static final String STATION = "STATION";
    private static final Pattern HOSPITAL = Pattern.compile("H\\d{3}");
    private static final Pattern STORAGE_POINT = Pattern.compile("SP\\d{2}");

    private LocationId() {
    }

    public static boolean isStation(String id) {
        return STATION.equals(id);
    }

    public static boolean isHospital(String id) {
        return id != null && HOSPITAL.matcher(id).matches();
    }

    public static boolean isStoragePoint(String id) {
        return id != null && STORAGE_POINT.matcher(id).matches();
    }

    public static boolean isValid(String id) {
        return isStation(id) || isHospital(id) || isStoragePoint(id);
    }
}
