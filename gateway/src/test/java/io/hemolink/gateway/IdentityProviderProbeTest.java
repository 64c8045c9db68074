package io.hemolink.gateway;

import io.hemolink.infra.ChildProcesses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe the gateway asks before it answers 503 instead of 401 for a token signed with a key it does not know. */
class IdentityProviderProbeTest {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicLong clock = new AtomicLong();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aProviderThatAnswersAnyStatusIsReachableAndTheAnswerIsKeptForTwoSeconds() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer server = vertx.createHttpServer().requestHandler(r -> {
            asked.incrementAndGet();
            r.response().setStatusCode(404).end("no such realm");
        });
        int port = server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        IdentityProviderProbe probe = new IdentityProviderProbe(vertx, "http://localhost:" + port + "/realms/x", clock::get);

        assertTrue(reachable(probe), "a 404 is an answer: the provider is there");
        assertTrue(reachable(probe));
        assertEquals(1, asked.get(), "asked once within two seconds");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertTrue(reachable(probe));
        assertEquals(2, asked.get(), "asked again after two seconds");
    }

    @Test
    void aProviderThatRefusesConnectionsIsUnreachableUntilItAnswersAgain() throws Exception {
        int port = ChildProcesses.freePort();
        IdentityProviderProbe probe = new IdentityProviderProbe(vertx, "http://localhost:" + port + "/realms/x", clock::get);
        assertFalse(reachable(probe), "nothing listens on " + port);

        vertx.createHttpServer().requestHandler(r -> r.response().end("{}")).listen(port)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertFalse(reachable(probe), "the last answer is kept for two seconds");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertTrue(reachable(probe), "back");
    }

    private static boolean reachable(IdentityProviderProbe probe) throws Exception {
        return probe.reachable().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
