package io.hemolink.e2e;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A webhook receiver as an integrator runs one, on a free loopback port (the local stack allows loopback targets):
 * every POST to a path is kept with its signature header and raw body, in arrival order, and answered 204.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One delivery: the {@code Hemolink-Signature} header, the raw body, when it arrived. */
    record Received(String signature, String body, long nanos) {
        JsonPath json() {
            return JsonPath.from(body);
        }

        /** Whether the signature is the HMAC-SHA256 of the raw body with {@code secret}, as docs/his-integration.md says. */
        boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))))
                        .equals(signature);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    private final Map<String, BlockingQueue<Received>> byPath = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            queue(exchange.getRequestURI().getPath()).add(new Received(
                    exchange.getRequestHeaders().getFirst("Hemolink-Signature"), new String(body, StandardCharsets.UTF_8),
                    System.nanoTime()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL to subscribe for {@code path} (e.g. {@code /h001}). */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private BlockingQueue<Received> queue(String path) {
        return byPath.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    /** The next delivery to {@code path} that {@code match}es (others are passed over), or null after {@code timeout}. */
    Received next(String path, Predicate<JsonPath> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            Received r = queue(path).poll(left, TimeUnit.NANOSECONDS);
            if (r != null && match.test(r.json())) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
