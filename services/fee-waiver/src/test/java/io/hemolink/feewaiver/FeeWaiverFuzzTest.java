package io.hemolink.feewaiver;

import io.hemolink.contracts.security.Roles;
import io.hemolink.infra.ApiFuzzer;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Requests generated from the fee-waiver service's OpenAPI, most of them wrong: none may get a 5xx (ADR 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class FeeWaiverFuzzTest {

    @Test
    void noGeneratedRequestGetsA5xx() {
        ApiFuzzer.withSeed(20261201L)
                .tokens(TestTokens.waiverAdmin(), TestTokens.his("H001"), TestTokens.hospital("H002"),
                        TestTokens.dispatcher(), TestTokens.token("qa", "STATION", Roles.STATION_QA))
                .pathValues("hospitalId", "H001", "H002")
                .pathValues("month", "2026-12", "2026-13")
                .run();
    }
}
