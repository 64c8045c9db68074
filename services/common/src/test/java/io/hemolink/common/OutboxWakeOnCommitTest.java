package io.hemolink.common;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay publishes on the commit itself, not on its poll: with the safety-net poll set to a minute, each event
 * still carries a Kafka timestamp (taken when the relay sent it) a fraction of a second after its commit returned.
 */
@QuarkusTest
@TestProfile(OutboxWakeOnCommitTest.SlowPoll.class)
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common_wake"))
class OutboxWakeOnCommitTest {

    static final Duration POLL = Duration.ofSeconds(60);

    public static class SlowPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hemolink.outbox.poll-interval", POLL.toSeconds() + "s");
        }
    }

    @Inject
    Outbox outbox;

    @Test
    void eachCommitWakesTheRelayLongBeforeItsPoll() throws InterruptedException {
        String key = "wake-" + UUID.randomUUID();
        int n = 5;
        List<Long> committedAt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int position = i;
            // spaced out, so that each event needs its own wake-up (none rides on the previous one's drain)
            Thread.sleep(300);
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(ThingEvents.THING_HAPPENED, key, null,
                    new ThingEvents.ThingHappened(key, position, "wake")));
            committedAt.add(System.currentTimeMillis());
        }
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(ThingEvents.TOPIC, r -> key.equals(r.key()), n,
                Duration.ofSeconds(20));
        assertEquals(n, records.size(), "every event reached Kafka within 20 s although the poll runs once a minute");
        for (int i = 0; i < n; i++) {
            long afterCommit = records.get(i).timestamp() - committedAt.get(i);
            assertTrue(afterCommit < 2_000, "event " + i + " was sent " + afterCommit + " ms after its commit");
        }
    }
}
