package io.hemolink.order;

import io.hemolink.contracts.security.Roles;
import io.hemolink.infra.ApiFuzzer;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.submit;

/** Requests generated from the order service's OpenAPI, most of them wrong: none may get a 5xx (ADR 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class OrderFuzzTest {

    @Test
    void noGeneratedRequestGetsA5xx() {
        String h = newHospital();
        String order = submit(h, orderJson(h, "ROUTINE", line("RBC", "O", "POS", 2)));
        ApiFuzzer.withSeed(20261201L)
                .tokens(TestTokens.dispatcher(), TestTokens.hospital(h), TestTokens.his("H002"),
                        TestTokens.token("qa", "STATION", Roles.STATION_QA), TestTokens.storagePointOperator("SP01"),
                        TestTokens.waiverAdmin())
                .pathValues("id", order, h, "H001")
                .run();
    }
}
