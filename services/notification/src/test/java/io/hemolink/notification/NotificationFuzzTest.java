package io.hemolink.notification;

import io.hemolink.infra.ApiFuzzer;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Requests generated from the notification service's OpenAPI, most of them wrong: none may get a 5xx (ADR 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class NotificationFuzzTest {

    @Test
    void noGeneratedRequestGetsA5xx() {
        String id = Hooks.subscribe(TestTokens.his("H003"), "http://127.0.0.1:9/fuzz", null, "RECALL").getString("id");
        ApiFuzzer.withSeed(20261201L)
                .tokens(TestTokens.dispatcher(), TestTokens.his("H003"), TestTokens.hospital("H002"),
                        TestTokens.storagePointOperator("SP01"))
                .pathValues("id", id)
                .run();
    }
}
