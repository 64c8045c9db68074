package io.hemolink.common.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A subscriber of a service's server-sent event stream, as the services' stream tests read them. */
public final class SseProbe {

    private SseProbe() {
    }

    /**
     * Opens {@code url} with {@code token} and collects its events as {@code "<event> <data>"} (e.g.
     * {@code stock {"locationId":...}}), in arrival order, until the test ends.
     */
    public static BlockingQueue<String> subscribe(String url, String token) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = "message";
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        events.add(event + " " + line.substring(5).trim());
                    } else if (line.isEmpty()) {
                        event = "message";
                    }
                }
            } catch (Exception ignored) {
                // the test ended and closed the stream
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    /** The next event containing {@code contains} (others are passed over), or null after {@code timeout}. */
    public static String poll(BlockingQueue<String> events, String contains, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String e = events.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && e.contains(contains)) {
                return e;
            }
        }
        return null;
    }
}
