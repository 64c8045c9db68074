package io.hemolink.e2e;

import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run of orders from two hospitals, each hospital placing its orders one after another on a thread of its own, as
 * two HIS would, while a test breaks part of the platform. A placement that meets a 5xx, a 429 or a broken connection
 * is sent again with the same Idempotency-Key and body (the first response comes back, never a second order), so each
 * order is placed exactly once; any other answer fails the run.
 */
final class OrderRun implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String lineJson;
    private final Map<String, String> tokens;
    private final int perHospital;
    private final Duration pace;
    private final Duration giveUpAfter;
    private final String nonce = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final List<Instant> successes = new CopyOnWriteArrayList<>();
    private final List<Instant> failures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> retriedBecause = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    /**
     * @param tokens      hospital location id to a token of one of its users
     * @param perHospital how many orders each hospital places
     * @param line        the order line, e.g. {@code "component":"RBC","abo":"B","rhd":"NEG","quantity":1}
     */
    OrderRun(String name, Map<String, String> tokens, int perHospital, String line, Duration pace, Duration giveUpAfter) {
        this.name = name;
        this.tokens = tokens;
        this.perHospital = perHospital;
        this.lineJson = "{" + line + "}";
        this.pace = pace;
        this.giveUpAfter = giveUpAfter;
    }

    OrderRun start() {
        for (var hospital : new TreeMap<>(tokens).entrySet()) {
            Thread t = new Thread(() -> placeAll(hospital.getKey(), hospital.getValue()), "orders-" + name + "-" + hospital.getKey());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void placeAll(String location, String token) {
        for (int i = 0; i < perHospital && !stop; i++) {
            String key = name + "-" + nonce + "-" + location + "-" + i;
            String body = """
                    {"locationId":"%s","priority":"URGENT","lines":[%s]}""".formatted(location, lineJson);
            String id = place(token, key, body);
            if (id == null) {
                return;
            }
            ids.add(id);
            pause(pace.toMillis());
        }
    }

    /** Sends the order until it is answered 201 (same key, same body each time); null if it cannot be placed. */
    private String place(String token, String key, String body) {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        long backoff = 200;
        while (!stop) {
            String cause;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(Platform.API + "/orders"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("Idempotency-Key", key).timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    successes.add(Instant.now());
                    return JsonPath.from(r.body()).getString("id");
                }
                if (r.statusCode() < 500 && r.statusCode() != 429) {
                    errors.add(key + ": " + r.statusCode() + " " + r.body());
                    return null;
                }
                cause = r.statusCode() + codeOf(r.body());
            } catch (IOException e) {
                cause = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            failures.add(Instant.now());
            retriedBecause.computeIfAbsent(cause, c -> new AtomicInteger()).incrementAndGet();
            if (System.nanoTime() > deadline) {
                errors.add(key + ": not placed within " + giveUpAfter.toSeconds() + " s (last: " + cause + ")");
                return null;
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, 1000);
        }
        return null;
    }

    private static String codeOf(String body) {
        try {
            String code = JsonPath.from(body).getString("code");
            return code == null ? "" : " " + code;
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    /** Waits until {@code n} orders are placed (fails when the run cannot get there). */
    void awaitPlaced(int n, Duration timeout) {
        Api.await(name + ": " + n + " orders placed (placed " + ids.size() + ", errors " + errors + ")", timeout, () -> {
            if (!errors.isEmpty()) {
                throw new AssertionError(name + ": a placement failed: " + errors);
            }
            return ids.size() >= n;
        });
    }

    /** Waits until a placement attempt has failed after {@code since} (the fault is felt). */
    void awaitFailureAfter(Instant since, Duration timeout) {
        Api.await(name + ": a placement refused after " + since, timeout,
                () -> failures.stream().anyMatch(t -> t.isAfter(since)));
    }

    void awaitAllPlaced(Duration timeout) {
        awaitPlaced(total(), timeout);
    }

    int total() {
        return perHospital * tokens.size();
    }

    List<String> ids() {
        return Collections.unmodifiableList(ids);
    }

    List<String> errors() {
        return errors;
    }

    /** The first placement answered 201 at or after {@code t}, if any. */
    java.util.Optional<Instant> firstSuccessAfter(Instant t) {
        return successes.stream().filter(s -> !s.isBefore(t)).min(Instant::compareTo);
    }

    /** Placements sent again, by what they met (status and code, or the connection's exception). */
    Map<String, Integer> retries() {
        Map<String, Integer> m = new TreeMap<>();
        retriedBecause.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public void close() {
        stop = true;
        for (Thread t : threads) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
