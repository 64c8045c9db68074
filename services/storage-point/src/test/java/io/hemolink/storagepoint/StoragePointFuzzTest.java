package io.hemolink.storagepoint;

import io.hemolink.contracts.security.Roles;
import io.hemolink.infra.ApiFuzzer;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Requests generated from the storage-point service's OpenAPI, most of them wrong: none may get a 5xx (ADR 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class StoragePointFuzzTest {

    @Test
    void noGeneratedRequestGetsA5xx() {
        ApiFuzzer.withSeed(20261201L)
                .tokens(TestTokens.dispatcher(), TestTokens.storagePointOperator("SP01"),
                        TestTokens.token("qa", "STATION", Roles.STATION_QA), TestTokens.hospital("H003"),
                        TestTokens.waiverAdmin())
                .pathValues("id", "SP01", "SP02")
                .run();
    }
}
