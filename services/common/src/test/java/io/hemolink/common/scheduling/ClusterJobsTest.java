package io.hemolink.common.scheduling;

import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduled work runs once per period in the cluster (ADR 0035): instances that fire together claim the job on one row
 * of the shared database and exactly one of them runs it; within the gap nobody runs it again; after the gap the next
 * to fire does, whichever instance that is.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class ClusterJobsTest {

    @Inject
    ClusterJobs jobs;

    @Test
    void instancesFiringTogetherRunTheJobOnceAndTheNextPeriodRunsAgain() throws Exception {
        String job = "test-" + UUID.randomUUID();
        Duration gap = Duration.ofMillis(1500);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int period = 0; period < 3; period++) {
                // four instances (distinct owners, distinct connections) fire at the same moment
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String owner = "instance-" + i;
                    claims.add(pool.submit(() -> {
                        start.await();
                        return jobs.claim(job, gap, owner);
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<Boolean> c : claims) {
                    won += c.get() ? 1 : 0;
                }
                assertEquals(1, won, "period " + period + ": exactly one instance runs the job");
                assertFalse(jobs.claim(job, gap, "instance-late"), "within the gap nobody runs it again");
                Thread.sleep(gap.toMillis() + 200);
            }
        } finally {
            pool.shutdownNow();
        }
        int[] ran = new int[1];
        assertTrue(jobs.runOnce(job, gap, () -> ran[0]++), "after the gap the next instance to fire runs it");
        assertFalse(jobs.runOnce(job, gap, () -> ran[0]++));
        assertEquals(1, ran[0]);
    }
}
