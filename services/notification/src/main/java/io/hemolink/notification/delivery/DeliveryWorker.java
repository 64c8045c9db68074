package io.hemolink.notification.delivery;

import io.hemolink.common.tracing.Traces;
import io.hemolink.notification.config.NotificationConfig;
import io.hemolink.notification.domain.Backoff;
import io.hemolink.notification.domain.Deliveries;
import io.hemolink.notification.domain.HostPolicy;
import io.hemolink.notification.domain.Secrets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the deliveries, one worker per instance: claims due ones (each the head of its subscription, never one
 * another instance holds), POSTs each as a signed CloudEvent with the JDK's asynchronous HTTP client, at most
 * {@code max-in-flight} at once, and settles it: any 2xx is DELIVERED; anything else (another status, a timeout, a
 * refused connection, a host that now resolves to a forbidden address) is tried again after a backoff, until the
 * delivery is older than {@code retry-for}, when it is given up (FAILED) and the subscription's next one goes on.
 * A consumer's commit wakes the worker at once; otherwise it looks every {@code poll}. Redirects are not followed (a
 * 3xx is a failure), so a receiver cannot send a delivery on to a host that was never checked.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String SIGNATURE_HEADER = "Hemolink-Signature";

    @Inject
    NotificationConfig config;

    @Inject
    Deliveries deliveries;

    @Inject
    HostPolicy hosts;

    @Inject
    Secrets secrets;

    @Inject
    MeterRegistry registry;

    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread loop;
    private Semaphore inFlight;
    private ExecutorService settling;
    private ExecutorService preparing;
    private HttpClient http;
    private Backoff backoff;
    private Counter delivered;
    private Counter failed;
    private Counter givenUp;
    private final AtomicReference<Double> oldestPendingAge = new AtomicReference<>(0.0);
    private long lastAgeCheck;

    void onStart(@Observes StartupEvent event) {
        backoff = new Backoff(config.retry().initial(), config.retry().maxStep(), config.retryFor());
        delivered = Counter.builder("hemolink.notification.deliveries").tag("outcome", "delivered")
                .description("Webhook deliveries answered 2xx").register(registry);
        failed = Counter.builder("hemolink.notification.deliveries").tag("outcome", "failed")
                .description("Webhook delivery attempts that failed and are retried").register(registry);
        givenUp = Counter.builder("hemolink.notification.deliveries").tag("outcome", "given_up")
                .description("Webhook deliveries given up after retry-for (FAILED)").register(registry);
        Gauge.builder("hemolink.notification.pending.oldest.age", oldestPendingAge, AtomicReference::get)
                .baseUnit("seconds").description("Age of the oldest webhook delivery not yet delivered nor given up")
                .register(registry);
        if (!config.workerEnabled()) {
            return;
        }
        inFlight = new Semaphore(config.maxInFlight());
        settling = Executors.newFixedThreadPool(2, r -> daemon(r, "webhook-settle"));
        // resolving a host (the check before every attempt) may block: never on the worker's own thread
        preparing = Executors.newFixedThreadPool(4, r -> daemon(r, "webhook-prepare"));
        http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newFixedThreadPool(2, r -> daemon(r, "webhook-http")))
                .build();
        running = true;
        loop = daemon(this::run, "webhook-worker");
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        wake();
        if (loop != null) {
            try {
                loop.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (preparing != null) {
            preparing.shutdown();
        }
        if (settling != null) {
            settling.shutdown();
        }
    }

    /** Something may be due now (a consumer committed deliveries, or one was settled). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                round();
            } catch (RuntimeException e) {
                LOG.warnf("webhook worker round failed (retried): %s", e.toString());
                pause(config.poll().toMillis());
                continue;
            }
            pause(config.poll().toMillis());
        }
    }

    /** Claims as many due deliveries as there are free slots and starts sending them. */
    void round() {
        refreshOldestPendingAge();
        int free = inFlight.drainPermits();
        if (free == 0) {
            return;
        }
        List<Deliveries.Claimed> claimed;
        try {
            claimed = deliveries.claim(free, config.lease());
        } catch (RuntimeException e) {
            inFlight.release(free);
            throw e;
        }
        inFlight.release(free - claimed.size());
        for (Deliveries.Claimed c : claimed) {
            preparing.execute(() -> send(c));
        }
    }

    private void send(Deliveries.Claimed c) {
        try {
            attempt(c);
        } catch (RuntimeException e) {
            settleAsync(c, Optional.empty(), "not sent: " + e.getClass().getSimpleName());
        }
    }

    private void attempt(Deliveries.Claimed c) {
        URI uri;
        try {
            uri = URI.create(c.url());
        } catch (IllegalArgumentException e) {
            settleAsync(c, Optional.empty(), "refused: the URL is no longer valid");
            return;
        }
        Optional<HostPolicy.Refusal> refusal = hosts.refusal(uri); // resolved afresh: DNS rebinding
        if (refusal.isPresent()) {
            settleAsync(c, Optional.empty(), "not sent: " + refusal.get().detail());
            return;
        }
        byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Content-Type", CONTENT_TYPE)
                .header(SIGNATURE_HEADER, Secrets.signature(secrets.open(c.secretSealed()), body))
                .header("User-Agent", "Hemolink-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (c.trace() != null) {
            // W3C trace context of the work on the event (ADR 0031): the receiver may continue the trace
            request.header(Traces.TRACEPARENT, c.trace().traceparent());
            if (c.trace().tracestate() != null) {
                request.header(Traces.TRACESTATE, c.trace().tracestate());
            }
        }
        // the answer's status is all that counts: the body is not read (closing it drops the connection), so a
        // receiver that trickles a body for ever cannot hold a slot; orTimeout frees the slot whatever happens
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                .orTimeout(config.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .whenCompleteAsync((response, error) -> {
                    if (error != null) {
                        settle(c, Optional.empty(), describe(error));
                    } else {
                        close(response.body());
                        settle(c, Optional.of(response.statusCode()), "HTTP " + response.statusCode());
                    }
                }, settling);
    }

    private static void close(java.io.InputStream body) {
        try {
            body.close();
        } catch (java.io.IOException | RuntimeException ignored) {
            // the status is known; what the receiver sent after it does not matter
        }
    }

    private void settleAsync(Deliveries.Claimed c, Optional<Integer> status, String lastStatus) {
        settling.execute(() -> settle(c, status, lastStatus));
    }

    /** Records the attempt's outcome (in a transaction of its own) and frees its slot. */
    private void settle(Deliveries.Claimed c, Optional<Integer> status, String lastStatus) {
        try {
            if (status.isPresent() && status.get() >= 200 && status.get() < 300) {
                deliveries.delivered(c, lastStatus);
                delivered.increment();
            } else {
                Duration pause = backoff.pause(c.attempts() + 1, ThreadLocalRandom.current()::nextDouble);
                String now = deliveries.failed(c, lastStatus, pause, config.retryFor());
                if (Deliveries.FAILED.equals(now)) {
                    givenUp.increment();
                    LOG.warnf("webhook delivery %d (event %s, subscription %s) given up after %d attempts: %s",
                            c.id(), c.eventId(), c.subscriptionId(), c.attempts() + 1, lastStatus);
                } else {
                    failed.increment();
                    LOG.debugf("webhook delivery %d failed (%s), next attempt in %s", c.id(), lastStatus, pause);
                }
            }
        } catch (RuntimeException e) {
            // the lease runs out and the delivery is claimed again: at least once
            LOG.warnf("webhook delivery %d could not be settled (%s); it is retried after its lease", c.id(), e.toString());
        } finally {
            inFlight.release();
            wake();
        }
    }

    private void refreshOldestPendingAge() {
        long now = System.nanoTime();
        if (now - lastAgeCheck < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        lastAgeCheck = now;
        oldestPendingAge.set(deliveries.oldestPendingAgeSeconds());
    }

    /** What an attempt that got no answer ran into, for the delivery log (never the secret or the body). */
    static String describe(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof HttpConnectTimeoutException) {
            return "timeout: no connection within the time limit";
        }
        if (e instanceof HttpTimeoutException || e instanceof java.util.concurrent.TimeoutException) {
            return "timeout: no answer within the time limit";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException || e instanceof ConnectException) {
            return "connection refused";
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return "failed: " + root.getClass().getSimpleName() + message;
    }

    private void pause(long millis) {
        synchronized (signal) {
            if (!woken && running) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
