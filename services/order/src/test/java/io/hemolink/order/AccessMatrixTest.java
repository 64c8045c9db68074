package io.hemolink.order;

import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.security.Roles;
import io.hemolink.infra.AccessMatrix;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static io.hemolink.contracts.security.Roles.HIS_INTEGRATION;
import static io.hemolink.contracts.security.Roles.HOSPITAL_TRANSFUSION;
import static io.hemolink.contracts.security.Roles.STATION_DISPATCHER;
import static io.hemolink.contracts.security.Roles.STATION_QA;
import static io.hemolink.contracts.security.Roles.STORAGE_POINT_OPERATOR;
import static io.hemolink.contracts.security.Roles.WAIVER_ADMIN;
import static io.hemolink.infra.AccessMatrix.HOSPITAL;
import static io.hemolink.infra.AccessMatrix.LOC;
import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newDin;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.newStoragePoint;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.submit;

/**
 * Who may call what on the order service (api.md, Orders; standing orders, returns, issue notes and the locations
 * registry as docs/architecture.md describes them): every endpoint × no token, each role, another tenant.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class AccessMatrixTest {

    /** api.md's "owner; station" for orders: a hospital, its HIS, a point for its own orders, and dispatch. */
    private static final String[] OWNER_OR_STATION = {HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STORAGE_POINT_OPERATOR,
            STATION_DISPATCHER};

    @TestFactory
    Stream<DynamicNode> accessMatrix() {
        // fixtures of a fresh home hospital; the other tenants only ever get 403/404, so nothing else changes
        String h = newHospital();
        String point = newStoragePoint(h);
        String otherHospital = newHospital();
        String otherPoint = newStoragePoint(otherHospital);
        String order = submit(h, orderJson(h, "ROUTINE", line("FFP", "AB", "POS", 200)));
        String toCancel = submit(h, orderJson(h, "ROUTINE", line("FFP", "AB", "POS", 200)));
        String returned = post(TestTokens.hospital(h), "/returns", "{\"din\":\"" + newDin() + "\",\"component\":\"RBC_LR\","
                + "\"sealIntact\":true,\"segmentAttached\":true,\"minutesOutOfStorage\":5,\"reason\":\"access matrix\"}")
                .statusCode(202).extract().path("returnId");
        // placed only in the last minute of a Monday, and deleted by the DELETE row below
        String standing = post(TestTokens.hospital(h), "/standing-orders", "{\"locationId\":\"" + h
                + "\",\"daysOfWeek\":[\"MONDAY\"],\"timeOfDay\":\"23:59\",\"priority\":\"ROUTINE\",\"lines\":["
                + line("FFP", "AB", "POS", 200) + "]}").statusCode(201).extract().path("id");
        // valid bodies that fail only after the tenancy check (quantity above the limit, a date in the past)
        String tooLargeOrder = orderJson(LOC, "ROUTINE", line("RBC", "O", "POS", 51));
        String receipt = "{\"units\":[{\"din\":\"" + newDin() + "\",\"component\":\"FFP\",\"accepted\":true}]}";
        String pastDemand = "{\"days\":[{\"date\":\"2020-01-01\",\"component\":\"RBC\",\"abo\":\"O\",\"rhd\":\"POS\",\"quantity\":1}]}";
        String tooLargeStanding = "{\"locationId\":\"" + LOC + "\",\"daysOfWeek\":[\"MONDAY\"],\"timeOfDay\":\"23:59\","
                + "\"priority\":\"ROUTINE\",\"lines\":[" + line("RBC", "O", "POS", 51) + "]}";
        String badReturn = "{\"din\":\"NOT-A-DIN\",\"component\":\"RBC_LR\",\"sealIntact\":true,\"segmentAttached\":true,"
                + "\"minutesOutOfStorage\":5,\"reason\":\"access matrix\"}";

        AccessMatrix m = AccessMatrix.forService().tenants(h, otherHospital, point, otherPoint);
        m.row("POST /orders").allow(HOSPITAL).allow(STATION_DISPATCHER).body(tooLargeOrder)
                .allow(STORAGE_POINT_OPERATOR) // a point orders for itself (ADR 0014)
                .otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /orders").allow(OWNER_OR_STATION).at("/orders?locationId=" + LOC)
                .otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /orders/stream").allow(HOSPITAL).allow(STORAGE_POINT_OPERATOR).allow(STATION_DISPATCHER)
                .accept("text/event-stream");
        m.row("GET /orders/{id}").allow(OWNER_OR_STATION).at("/orders/" + order).otherTenant404();
        m.row("GET /orders/{id}/issue-note").allow(OWNER_OR_STATION).at("/orders/" + order + "/issue-note")
                .accept("application/json").otherTenant404();
        m.row("POST /orders/{id}/cancel").allow(OWNER_OR_STATION).at("/orders/" + toCancel + "/cancel")
                .body("{\"reason\":\"access matrix\"}").otherTenant404();
        // a valid amendment that fails only after the tenancy check (quantity above the limit): it changes nothing
        m.row("PATCH /orders/{id}").allow(OWNER_OR_STATION).at("/orders/" + order)
                .body("{\"lines\":[" + line("RBC", "O", "POS", 51) + "]}").otherTenant404();
        m.row("POST /orders/{id}/dispatch").allow(STATION_DISPATCHER).at("/orders/" + order + "/dispatch");
        m.row("POST /orders/{id}/receipt").allow(HOSPITAL).allow(STORAGE_POINT_OPERATOR)
                .at("/orders/" + order + "/receipt").body(receipt).otherTenant404();
        m.row("POST /returns").allow(HOSPITAL).body(badReturn);
        m.row("GET /returns/{id}").allow(HOSPITAL).allow(STATION_DISPATCHER, STATION_QA).at("/returns/" + returned)
                .otherTenant404();
        m.row("GET /locations").allow(Roles.ALL.toArray(String[]::new));
        m.row("GET /locations/{id}").allow(Roles.ALL.toArray(String[]::new)).at("/locations/" + LOC);
        m.row("PUT /locations/{id}").allow(STATION_DISPATCHER).at("/locations/" + LOC);
        m.row("GET /locations/{id}/demand").allow(OWNER_OR_STATION).at("/locations/" + LOC + "/demand").otherTenant404();
        m.row("PUT /locations/{id}/demand").allow(OWNER_OR_STATION).at("/locations/" + LOC + "/demand").body(pastDemand)
                .otherTenant(403, "LOCATION_NOT_YOURS");
        String badPar = "{\"levels\":[{\"component\":\"RBC\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":6,\"target\":5}]}";
        m.row("GET /locations/{id}/par-levels").allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER, STATION_QA)
                .at("/locations/" + LOC + "/par-levels").otherTenant404();
        m.row("PUT /locations/{id}/par-levels").allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER)
                .at("/locations/" + LOC + "/par-levels").body(badPar).otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /locations/{id}/suggested-order").allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER,
                STATION_QA).at("/locations/" + LOC + "/suggested-order").otherTenant404();
        m.row("POST /standing-orders").allow(OWNER_OR_STATION).body(tooLargeStanding)
                .otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /standing-orders").allow(OWNER_OR_STATION).at("/standing-orders?locationId=" + LOC)
                .otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /standing-orders/{id}").allow(OWNER_OR_STATION).at("/standing-orders/" + standing).otherTenant404();
        m.row("DELETE /standing-orders/{id}").allow(OWNER_OR_STATION).at("/standing-orders/" + standing).otherTenant404();
        // services/common's audit trail, read by the station
        m.row("GET /audit").allow(STATION_DISPATCHER, STATION_QA, WAIVER_ADMIN);
        // services/common's dead letters, inspected and replayed by the dispatcher (an unknown record is 404)
        m.row("GET /admin/dead-letters").allow(STATION_DISPATCHER);
        m.row("POST /admin/dead-letters/{topic}/{partition}/{offset}/replay").allow(STATION_DISPATCHER)
                .at("/admin/dead-letters/" + Topics.deadLetter(Topics.ORDERS) + "/0/999999999/replay");
        return m.tests();
    }
}
