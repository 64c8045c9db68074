package io.hemolink.feewaiver;

import io.hemolink.contracts.events.Topics;
import io.hemolink.infra.AccessMatrix;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static io.hemolink.contracts.security.Roles.STATION_DISPATCHER;
import static io.hemolink.contracts.security.Roles.STATION_QA;
import static io.hemolink.contracts.security.Roles.WAIVER_ADMIN;
import static io.hemolink.feewaiver.Api.billJson;
import static io.hemolink.feewaiver.Api.claim;
import static io.hemolink.feewaiver.Api.donate;
import static io.hemolink.feewaiver.Api.newBill;
import static io.hemolink.feewaiver.Api.rbc;
import static io.hemolink.infra.AccessMatrix.HOSPITAL;
import static io.hemolink.infra.AccessMatrix.LOC;

/**
 * Who may call what on the fee-waiver service (api.md, Direct fee waiver; "station" is waiver-admin here): every
 * endpoint × no token, each role, another tenant (another hospital).
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class AccessMatrixTest {

    @TestFactory
    Stream<DynamicNode> accessMatrix() {
        // a hospital no other test uses, with one waiver of its own (reversed by the reversal row below)
        String h = "H961";
        String donor = People.idNumber();
        String donorName = People.name();
        donate(donor, donorName, 400, 30).statusCode(201);
        String waiver = claim(TestTokens.hospital(h), billJson(h, newBill(), donor, donorName, rbc(1, "200.00"), null))
                .statusCode(201).extract().path("waiverId");
        // a valid bill of a patient with no entitlement: quoted, but not claimable (422 NOT_ELIGIBLE, nothing stored)
        String nobody = People.idNumber();
        String bill = billJson(LOC, newBill(), nobody, People.name(), rbc(1, "200.00"), null);

        AccessMatrix m = AccessMatrix.forService().tenants(h, "H962", "SP01", "SP02");
        m.row("POST /donations").allow(WAIVER_ADMIN);
        m.row("POST /donors/relations").allow(WAIVER_ADMIN).allow(HOSPITAL);
        m.row("POST /donors/entitlement-query").allow(WAIVER_ADMIN).allow(HOSPITAL)
                .body("{\"idNumber\":\"" + nobody + "\"}");
        m.row("POST /fee-waivers/quote").allow(HOSPITAL).body(bill).otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("POST /fee-waivers").allow(HOSPITAL).body(bill).otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /fee-waivers").allow(WAIVER_ADMIN).allow(HOSPITAL).at("/fee-waivers?hospitalId=" + LOC)
                .otherTenant(403, "LOCATION_NOT_YOURS");
        // not in api.md: as docs/architecture.md and the service have it (owner; waiver-admin)
        m.row("GET /fee-waivers/{id}").allow(WAIVER_ADMIN).allow(HOSPITAL).at("/fee-waivers/" + waiver).otherTenant404();
        m.row("POST /fee-waivers/{id}/reversal").allow(WAIVER_ADMIN).allow(HOSPITAL).at("/fee-waivers/" + waiver + "/reversal")
                .body("{\"reason\":\"access matrix: bill cancelled\"}").otherTenant404();
        m.row("GET /settlements/{hospitalId}/{month}").allow(WAIVER_ADMIN).allow(HOSPITAL).at("/settlements/" + LOC + "/2026-01")
                .otherTenant404();
        // not in api.md: closing a month, as docs/architecture.md has it (waiver-admin); a month not ended yet
        m.row("POST /settlements/{hospitalId}/{month}/close").allow(WAIVER_ADMIN).at("/settlements/" + LOC + "/2999-01/close");
        // services/common's audit trail, read by the station
        m.row("GET /audit").allow(STATION_DISPATCHER, STATION_QA, WAIVER_ADMIN);
        // services/common's dead letters, inspected and replayed by the dispatcher (an unknown record is 404)
        m.row("GET /admin/dead-letters").allow(STATION_DISPATCHER);
        m.row("POST /admin/dead-letters/{topic}/{partition}/{offset}/replay").allow(STATION_DISPATCHER)
                .at("/admin/dead-letters/" + Topics.deadLetter(Topics.ORDERS) + "/0/999999999/replay");
        return m.tests();
    }
}
