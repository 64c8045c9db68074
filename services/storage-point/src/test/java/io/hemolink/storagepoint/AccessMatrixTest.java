package io.hemolink.storagepoint;

import io.hemolink.contracts.events.Topics;
import io.hemolink.infra.AccessMatrix;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static io.hemolink.contracts.security.Roles.STATION_DISPATCHER;
import static io.hemolink.contracts.security.Roles.STATION_QA;
import static io.hemolink.contracts.security.Roles.STORAGE_POINT_OPERATOR;
import static io.hemolink.contracts.security.Roles.WAIVER_ADMIN;

/**
 * Who may call what on the storage-point service (api.md, Storage points; the NO_DATA alerts as docs/architecture.md
 * describes them): every endpoint × no token, each role, another tenant (another point's operator).
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class AccessMatrixTest {

    @TestFactory
    Stream<DynamicNode> accessMatrix() {
        // a point of its own (no par levels, so nothing is replenished) and another point whose operator must not see it
        String point = Sp.newPoint();
        String otherPoint = Sp.newPoint();
        // valid bodies that fail only after the point check: equipment not the point's, a unit not at the point
        String foreignReading = "{\"readings\":[{\"equipmentId\":\"NOT-" + point + "\",\"at\":\"2020-01-01T00:00:00Z\","
                + "\"celsius\":4.0}]}";
        String issue = "{\"din\":\"" + Sp.newDin() + "\",\"component\":\"RBC\",\"patientRef\":\"MATRIX-1\","
                + "\"patientAbo\":\"O\",\"patientRhd\":\"POS\"}";
        String decision = "{\"units\":[{\"din\":\"" + Sp.newDin() + "\",\"component\":\"RBC\"}],\"decision\":\"RELEASE\"}";

        AccessMatrix m = AccessMatrix.forService().tenants("H002", "H001", point, otherPoint);
        m.row("POST /storage-points").allow(STATION_DISPATCHER);
        m.row("PUT /storage-points/{id}/par-levels").allow(STATION_DISPATCHER).at("/storage-points/SP00/par-levels")
                .body("{\"parLevels\":[]}");
        m.row("GET /storage-points").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR);
        m.row("GET /storage-points/{id}").allow(STATION_DISPATCHER, STORAGE_POINT_OPERATOR).at("/storage-points/" + point)
                .allow(STATION_QA).otherTenant404(); // QA reads what it decides on (ADR 0014)
        m.row("POST /storage-points/{id}/temperature-readings").allow(STORAGE_POINT_OPERATOR)
                .at("/storage-points/" + point + "/temperature-readings").body(foreignReading).otherTenant404();
        m.row("GET /storage-points/{id}/excursions").allow(STATION_DISPATCHER, STORAGE_POINT_OPERATOR)
                .at("/storage-points/" + point + "/excursions").allow(STATION_QA).otherTenant404();
        // not in api.md: as docs/architecture.md and the service have it (station roles and the point's operator)
        m.row("GET /storage-points/{id}/alerts").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR)
                .at("/storage-points/" + point + "/alerts").otherTenant404();
        m.row("POST /storage-points/{id}/issues").allow(STORAGE_POINT_OPERATOR).at("/storage-points/" + point + "/issues")
                .body(issue).otherTenant404();
        m.row("POST /storage-points/{id}/quarantine-decisions").allow(STATION_QA)
                .at("/storage-points/" + point + "/quarantine-decisions").body(decision);
        m.row("POST /transfers").allow(STATION_DISPATCHER);
        m.row("GET /transfers/proposals").allow(STATION_DISPATCHER);
        // services/common's audit trail, read by the station
        m.row("GET /audit").allow(STATION_DISPATCHER, STATION_QA, WAIVER_ADMIN);
        // services/common's dead letters, inspected and replayed by the dispatcher (an unknown record is 404)
        m.row("GET /admin/dead-letters").allow(STATION_DISPATCHER);
        m.row("POST /admin/dead-letters/{topic}/{partition}/{offset}/replay").allow(STATION_DISPATCHER)
                .at("/admin/dead-letters/" + Topics.deadLetter(Topics.ORDERS) + "/0/999999999/replay");
        return m.tests();
    }
}
