package io.hemolink.notification;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.notification.domain.Deliveries;
import io.hemolink.notification.domain.EventKind;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claims of several workers (instances) at once, without a worker of this application running (its own
 * database): no delivery is claimed twice while leased, only the head of each subscription is claimable, the next
 * becomes claimable once the head is settled, and a lease that ran out is claimed again.
 */
@QuarkusTest
@TestProfile(ClaimsTest.NoWorker.class)
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification_claims"))
class ClaimsTest {

    public static class NoWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hemolink.notification.worker-enabled", "false");
        }
    }

    @Inject
    Deliveries deliveries;

    @Inject
    EntityManager em;

    @Test
    void parallelClaimsTakeEachHeadOnceAndInOrder() throws Exception {
        String h = Hooks.newHospital();
        List<String> subscriptions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            subscriptions.add(Hooks.subscribe(TestTokens.his(h), "http://127.0.0.1:9/c" + i, null, "ORDER_STATUS")
                    .getString("id"));
        }
        List<String> events = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            String id = UUID.randomUUID().toString();
            events.add(id);
            int made = QuarkusTransaction.requiringNew().call(() -> deliveries.fanOut(EventKind.ORDER_STATUS,
                    Deliveries.Audience.of(h, "STATION"), id, "io.hemolink.order.status-changed.v1", "{}", null));
            assertEquals(6, made, "one delivery per subscription");
        }
        // the same event again (as a redelivery past the processed-event log would be): no second row
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> deliveries.fanOut(EventKind.ORDER_STATUS,
                Deliveries.Audience.of(h), events.get(0), "io.hemolink.order.status-changed.v1", "{}", null)));

        // four "instances" claim at once, more than there are heads
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<List<Deliveries.Claimed>>> claims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claims.add(() -> deliveries.claim(10, Duration.ofSeconds(30)));
        }
        List<Deliveries.Claimed> claimed = new ArrayList<>();
        for (Future<List<Deliveries.Claimed>> f : pool.invokeAll(claims)) {
            claimed.addAll(f.get());
        }
        pool.shutdown();
        Set<Long> ids = new HashSet<>();
        claimed.forEach(c -> assertTrue(ids.add(c.id()), "claimed twice: " + c.id()));
        assertEquals(6, claimed.size(), "each subscription's head, once");
        assertEquals(Set.copyOf(subscriptions), claimed.stream().map(c -> c.subscriptionId().toString())
                .collect(java.util.stream.Collectors.toSet()));
        claimed.forEach(c -> assertEquals(events.get(0), c.eventId(), "the head is the first event"));
        assertTrue(deliveries.claim(10, Duration.ofSeconds(30)).isEmpty(), "the heads are leased, the rest wait");

        // one head delivered: that subscription's second event is next, and only it
        Deliveries.Claimed first = claimed.get(0);
        assertTrue(deliveries.delivered(first, "HTTP 204"));
        List<Deliveries.Claimed> next = deliveries.claim(10, Duration.ofSeconds(30));
        assertEquals(1, next.size());
        assertEquals(first.subscriptionId(), next.get(0).subscriptionId());
        assertEquals(events.get(1), next.get(0).eventId());
        // a settlement with a lost claim changes nothing
        assertTrue(!deliveries.delivered(first, "HTTP 200"), "the lease token was used");

        // a failed head waits for its pause; a lease that ran out is claimed again (its instance died mid-send)
        Deliveries.Claimed second = claimed.get(1);
        assertEquals("PENDING", deliveries.failed(second, "HTTP 500", Duration.ofHours(1), Duration.ofHours(25)));
        Deliveries.Claimed third = claimed.get(2);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update delivery set lease_until = now() - interval '1 second' where id = ?1")
                .setParameter(1, third.id()).executeUpdate());
        List<Deliveries.Claimed> again = deliveries.claim(10, Duration.ofSeconds(30));
        assertEquals(List.of(third.id()), again.stream().map(Deliveries.Claimed::id).toList());
        assertTrue(!deliveries.delivered(third, "HTTP 200"), "the old claim's token no longer counts");
        assertTrue(deliveries.delivered(again.get(0), "HTTP 200"));
    }
}
