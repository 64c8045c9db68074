package io.hemolink.notification;

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

import static io.hemolink.contracts.security.Roles.HIS_INTEGRATION;
import static io.hemolink.contracts.security.Roles.HOSPITAL_TRANSFUSION;
import static io.hemolink.contracts.security.Roles.STATION_DISPATCHER;
import static io.hemolink.contracts.security.Roles.STATION_QA;
import static io.hemolink.contracts.security.Roles.WAIVER_ADMIN;

/**
 * Who may call what on the notification service (api.md, "Push: subscriptions and live alerts"): hospitals and HIS
 * clients for their own location, the station for any; another hospital's subscription is 404, subscribing for
 * another hospital 403.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class AccessMatrixTest {

    @TestFactory
    Stream<DynamicNode> accessMatrix() {
        // a subscription of the home hospital H002, which H001's callers must not see
        String id = Hooks.subscribe(TestTokens.his("H002"), "http://127.0.0.1:9/hooks", null, "ALERT").getString("id");
        String body = "{\"url\":\"http://127.0.0.1:9/hooks\",\"events\":[\"ALERT\"],\"locationId\":\"" + AccessMatrix.LOC
                + "\"}";
        AccessMatrix m = AccessMatrix.forService().tenants("H002", "H001", "SP01", "SP02");
        m.row("POST /subscriptions").allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER, STATION_QA)
                .body(body).otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /subscriptions").allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER, STATION_QA)
                .at("/subscriptions?locationId=" + AccessMatrix.LOC).otherTenant(403, "LOCATION_NOT_YOURS");
        m.row("GET /subscriptions/{id}").allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER, STATION_QA)
                .at("/subscriptions/" + id).otherTenant404();
        m.row("GET /subscriptions/{id}/deliveries")
                .allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER, STATION_QA)
                .at("/subscriptions/" + id + "/deliveries").otherTenant404();
        // an unknown id: the roles reach the lookup (404) and the real subscription stays for the other rows
        m.row("DELETE /subscriptions/{id}").allow(HOSPITAL_TRANSFUSION, HIS_INTEGRATION, STATION_DISPATCHER, STATION_QA)
                .at("/subscriptions/" + java.util.UUID.randomUUID());
        // services/common's audit trail, read by the station
        m.row("GET /audit").allow(STATION_DISPATCHER, STATION_QA, WAIVER_ADMIN);
        // services/common's dead letters, inspected and replayed by the dispatcher (an unknown record is 404)
        m.row("GET /admin/dead-letters").allow(STATION_DISPATCHER);
        m.row("POST /admin/dead-letters/{topic}/{partition}/{offset}/replay").allow(STATION_DISPATCHER)
                .at("/admin/dead-letters/" + Topics.deadLetter(Topics.ALERTS) + "/0/999999999/replay");
        return m.tests();
    }
}
