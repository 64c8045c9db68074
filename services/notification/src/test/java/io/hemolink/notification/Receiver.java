package io.hemolink.notification;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real webhook receiver for the tests: an HTTP server on a free loopback port that records every request (headers,
 * raw body, when it arrived) and answers the statuses it is told to, in turn (200 once they are used up).
 */
final class Receiver implements AutoCloseable {

    /** One request as received. */
    record Hit(String contentType, String signature, String traceparent, byte[] body, long receivedNanos, int answered) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ConcurrentLinkedDeque<>();
    private volatile Predicate<String> refuse = body -> false;
    private final java.util.concurrent.atomic.AtomicInteger slow = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long slowMillis;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (slow.getAndDecrement() > 0) {
                sleep(slowMillis); // longer than the sender's time limit
            }
            Integer next = answers.poll();
            int status = next != null ? next : refuse.test(new String(body, StandardCharsets.UTF_8)) ? 503 : 200;
            hits.add(new Hit(exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Hemolink-Signature"),
                    exchange.getRequestHeaders().getFirst("traceparent"), body, System.nanoTime(), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The statuses the next requests are answered with, in order. */
    Receiver answering(int... statuses) {
        for (int s : statuses) {
            answers.add(s);
        }
        return this;
    }

    /** Answers 503 to every request whose body matches (after the queued answers). */
    Receiver refusing(Predicate<String> body) {
        this.refuse = body;
        return this;
    }

    /** The next {@code count} requests are answered only after {@code millis}. */
    Receiver slow(int count, long millis) {
        this.slowMillis = millis;
        this.slow.set(count);
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    List<Hit> hits() {
        return new ArrayList<>(hits);
    }

    /** Waits until {@code count} requests match (or the time is up) and returns the matching ones. */
    List<Hit> await(Predicate<Hit> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Hit> found = hits.stream().filter(filter).toList();
        while (found.size() < count && System.nanoTime() < deadline) {
            sleep(20);
            found = hits.stream().filter(filter).toList();
        }
        return found;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
