package io.hemolink.inventory;

import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.contracts.security.Roles;
import io.hemolink.infra.AccessMatrix;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.hemolink.contracts.security.Roles.STATION_DISPATCHER;
import static io.hemolink.contracts.security.Roles.STATION_QA;
import static io.hemolink.contracts.security.Roles.STORAGE_POINT_OPERATOR;
import static io.hemolink.contracts.security.Roles.WAIVER_ADMIN;
import static io.hemolink.infra.AccessMatrix.HOSPITAL;
import static io.hemolink.infra.AccessMatrix.LOC;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.hemolink.inventory.UnitsApiTest.yesterday;

/** Who may call what on the inventory service (api.md, Inventory): every endpoint × no token, each role, another tenant. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class AccessMatrixTest {

    @TestFactory
    Stream<DynamicNode> accessMatrix() {
        // one bag held by a hospital no other test uses, of a component and group no other test uses (WB AB-)
        String h = "H971";
        String data = "G9871" + "26" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        String din = data + Din.checkCharacter(data);
        release(unitJson(din, "WB", "AB", "NEG", 1, yesterday()).replace("}", ",\"locationId\":\"" + h + "\"}"))
                .statusCode(201);
        // a valid fate that fails only after the holder check: it happens in the future
        String futureFate = "{\"type\":\"QUARANTINED\",\"reason\":\"access matrix\",\"occurredAt\":\"2999-01-01T00:00:00Z\"}";

        AccessMatrix m = AccessMatrix.forService().tenants(h, "H972", "SP97", "SP98");
        m.row("POST /units").allow(STATION_DISPATCHER);
        m.row("GET /units/{din}").allow(STATION_DISPATCHER, STORAGE_POINT_OPERATOR).allow(HOSPITAL).at("/units/" + din)
                .allow(STATION_QA).otherTenant404(); // QA reads what it decides on (ADR 0014)
        m.row("GET /units/{din}/{component}").allow(STATION_DISPATCHER, STORAGE_POINT_OPERATOR).allow(HOSPITAL)
                .at("/units/" + din + "/WB").allow(STATION_QA).otherTenant404();
        m.row("POST /units/{din}/{component}/events").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR)
                .allow(HOSPITAL).at("/units/" + din + "/WB/events").body(futureFate).otherTenant404();
        m.row("GET /stock").allow(Roles.ALL.toArray(String[]::new)).at("/stock?locationId=" + LOC)
                .otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /stock/balance").allow(STATION_DISPATCHER, STATION_QA).allow(HOSPITAL);
        m.row("GET /stock/stream").allow(STATION_DISPATCHER, STATION_QA).allow(HOSPITAL).accept("text/event-stream");
        m.row("GET /stock/reconciliation").allow(STATION_DISPATCHER, STATION_QA);
        m.row("POST /alerts/evaluation").allow(STATION_DISPATCHER);
        m.row("GET /alerts/waiting").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR).allow(HOSPITAL)
                .at("/alerts/waiting?locationId=" + LOC).otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /alerts").allow(Roles.ALL.toArray(String[]::new)).at("/alerts?active=true");
        m.row("POST /recalls").allow(STATION_QA).body("{\"din\":\"" + din + "\",\"components\":[\"PLT_AP\"],"
                + "\"reason\":\"access matrix\"}");
        m.row("GET /recalls").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR).allow(HOSPITAL);
        m.row("GET /recalls/{id}").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR).allow(HOSPITAL)
                .at("/recalls/" + java.util.UUID.randomUUID());
        m.row("POST /recalls/{id}/acknowledgements").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR)
                .allow(HOSPITAL).at("/recalls/" + java.util.UUID.randomUUID() + "/acknowledgements")
                .body("{\"din\":\"" + din + "\",\"component\":\"WB\"}");
        m.row("GET /reports/wastage").allow(STATION_DISPATCHER, STATION_QA, STORAGE_POINT_OPERATOR).allow(HOSPITAL)
                .at("/reports/wastage?by=location,reason");
        // services/common's audit trail, read by the station
        m.row("GET /audit").allow(STATION_DISPATCHER, STATION_QA, WAIVER_ADMIN);
        // services/common's dead letters, inspected and replayed by the dispatcher (an unknown record is 404)
        m.row("GET /admin/dead-letters").allow(STATION_DISPATCHER);
        m.row("POST /admin/dead-letters/{topic}/{partition}/{offset}/replay").allow(STATION_DISPATCHER)
                .at("/admin/dead-letters/" + Topics.deadLetter(Topics.ORDERS) + "/0/999999999/replay");
        return m.tests();
    }
}
