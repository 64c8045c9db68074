package io.hemolink.inventory;

import io.hemolink.infra.ApiFuzzer;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.contracts.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Requests generated from the inventory's OpenAPI, most of them wrong: none may get a 5xx (ADR 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class InventoryFuzzTest {

    @Test
    void noGeneratedRequestGetsA5xx() {
        ApiFuzzer.withSeed(20261201L)
                .tokens(TestTokens.dispatcher(), TestTokens.hospital("H001"), TestTokens.his("H002"),
                        TestTokens.token("qa", "STATION", Roles.STATION_QA), TestTokens.storagePointOperator("SP01"),
                        TestTokens.waiverAdmin())
                .pathValues("din", "G123498654321H", "=G12349865432100")
                .pathValues("component", "RBC", "PLT_AP")
                .run();
    }
}
