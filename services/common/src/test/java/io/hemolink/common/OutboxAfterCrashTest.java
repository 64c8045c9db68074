package io.hemolink.common;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.common.outbox.OutboxRelay;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The process stops after the commit and before the relay ran: here the relay never starts with the application,
 * which is exactly the state a crash leaves behind. The event waits in the outbox and goes out when a relay starts
 * (as it does on the next start-up).
 */
@QuarkusTest
@TestProfile(OutboxAfterCrashTest.RelayNotRunning.class)
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common_crash"))
class OutboxAfterCrashTest {

    public static class RelayNotRunning implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hemolink.outbox.relay-enabled", "false");
        }
    }

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Test
    void committedEventGoesOutWhenTheRelayStartsAgain() {
        String key = "after-crash-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(ThingEvents.THING_HAPPENED, key, null,
                new ThingEvents.ThingHappened(key, 0, "survivor")));

        assertEquals(1, relay.pending(), "the committed event waits in the outbox");
        assertTrue(KafkaProbe.read(ThingEvents.TOPIC, r -> key.equals(r.key()), 1, Duration.ofSeconds(2)).isEmpty(),
                "nothing is published while no relay runs");

        relay.start();

        assertEquals(1, KafkaProbe.read(ThingEvents.TOPIC, r -> key.equals(r.key()), 1, Duration.ofSeconds(15)).size(),
                "the event is published once a relay runs again");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (relay.pending() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, relay.pending(), "and marked sent");
        relay.stop();
    }
}
