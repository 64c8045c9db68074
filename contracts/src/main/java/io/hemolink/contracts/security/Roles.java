package io.hemolink.contracts.security;

import java.util.List;
import java.util.Set;

/** The realm roles of api.md. */
public final class Roles {

    public static final String STATION_DISPATCHER = "station-dispatcher";
    public static final String STATION_QA = "station-qa";
    public static final String HOSPITAL_TRANSFUSION = "hospital-transfusion";
    public static final String HIS_INTEGRATION = "his-integration";
    public static final String STORAGE_POINT_OPERATOR = "storage-point-operator";
    public static final String WAIVER_ADMIN = "waiver-admin";

    /** Roles that act for the station and so see every location. */
    public static final Set<String> STATION_ROLES = Set.of(STATION_DISPATCHER, STATION_QA, WAIVER_ADMIN);

    /** Roles that act for one hospital, named by the token's {@code location_id}. */
    public static final Set<String> HOSPITAL_ROLES = Set.of(HOSPITAL_TRANSFUSION, HIS_INTEGRATION);

    /** Roles that act for one location (a hospital or a storage point), named by the token's {@code location_id}. */
    public static final Set<String> TENANT_ROLES = Set.of(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STORAGE_POINT_OPERATOR);

    /** Every role of the realm, in the order of api.md. */
    public static final List<String> ALL = List.of(STATION_DISPATCHER, STATION_QA, HOSPITAL_TRANSFUSION, HIS_INTEGRATION,
            STORAGE_POINT_OPERATOR, WAIVER_ADMIN);

    private Roles() {
    }
}
