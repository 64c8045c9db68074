package io.hemolink.inventory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.ChildProcesses;
import io.hemolink.infra.KafkaBroker;
import io.hemolink.infra.PostgresServer;
import io.hemolink.infra.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The inventory's scaling benchmark, a program (not a test): real PostgreSQL and Kafka, the packaged service as a child
 * process, stock of 10^4, 10^5 and 10^6 bags (loaded in bulk by SQL, spread over components, groups, locations and
 * expiry dates, with levels derived from them), and at each size:
 * <ul>
 *   <li>allocation latency: orders submitted on the order topic at a steady pace, measured from the send to the
 *       allocation event on the allocation topic (the consumer, the FEFO query, the ledger, the outbox relay), and
 *       the service's own timing of the allocation inside its transaction ({@code hemolink_allocation_seconds});</li>
 *   <li>{@code GET /stock} latency for the station (every location) and for a hospital.</li>
 * </ul>
 * <ul>
 *   <li>priority behind volume: ROUTINE orders at the same pace with one EMERGENCY in every 20, the EMERGENCY ones
 *       measured on their own (send → allocation event);</li>
 *   <li>throughput: {@code bench.burst} ROUTINE orders sent at once, orders/s from the first send to the last
 *       allocation event, and the EMERGENCY orders sent into that backlog.</li>
 * </ul>
 * It takes free ports only (PostgreSQL, Kafka and the service), never the platform's fixed ones.
 * Run: {@code ./mvnw -pl services/inventory -Pbench verify} after a package of the module (options:
 * {@code -Dbench.sizes=10000,100000} {@code -Dbench.orders=300} {@code -Dbench.rate=50} {@code -Dbench.requests=500}
 * {@code -Dbench.burst=1000}, 0 for no burst); without the exec plugin, run this class with the module's test
 * classpath and {@code -Dbench.module=services/inventory}.
 */
public final class InventoryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private InventoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "10000,100000,1000000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int orders = Integer.getInteger("bench.orders", 300);
        int rate = Integer.getInteger("bench.rate", 50);
        int requests = Integer.getInteger("bench.requests", 500);
        int burst = Integer.getInteger("bench.burst", 1000);
        Path module = Paths.get(System.getProperty("bench.module", "."));
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: package the service first");
        }
        Path work = Files.createTempDirectory("hemolink-bench");
        System.out.printf("work directory %s; sizes %s; %d orders at %d/s; %d GET /stock per view%n", work,
                Arrays.toString(sizes), orders, rate, requests);

        try (PostgresServer pg = PostgresServer.start(0, work.resolve("pg"));
             KafkaBroker kafka = new KafkaBroker(ChildProcesses.freePort(), work.resolve("kafka"), work.resolve("kafka.log"))
                     .start(Duration.ofSeconds(60))) {
            pg.createDatabase("inventory");
            int port = ChildProcesses.freePort();
            Process service = startService(jar, pg, kafka, port, work.resolve("inventory.log"));
            try {
                ChildProcesses.await("inventory", service, Duration.ofSeconds(120),
                        () -> ChildProcesses.answers200("http://localhost:" + port + "/q/health/ready"),
                        work.resolve("inventory.log"));
                List<String> table = new ArrayList<>();
                table.add(String.format("%10s | %12s %12s %12s | %12s %12s | %14s %14s | %14s %14s", "bags",
                        "alloc p50 ms", "alloc p99 ms", "alloc max ms", "in-tx p50 ms", "in-tx p99 ms", "stock p50 ms",
                        "stock p99 ms", "H001 p50 ms", "H001 p99 ms"));
                int loaded = 0;
                try (Connection db = DriverManager.getConnection(pg.jdbcUrl("inventory"), PostgresServer.USER,
                        PostgresServer.USER)) {
                    for (int size : sizes) {
                        long t0 = System.nanoTime();
                        load(db, loaded, size);
                        loaded = size;
                        System.out.printf("loaded %,d bags in %.1f s%n", size, (System.nanoTime() - t0) / 1e9);
                        double[] alloc = allocations(kafka.bootstrapServers(), orders, rate,
                                i -> i % 10 == 0 ? Priority.EMERGENCY : Priority.URGENT, null);
                        double[] inside = serverAllocation(port);
                        double[] station = stock(port, TestTokens.dispatcher(), "", requests);
                        double[] hospital = stock(port, TestTokens.hospital("H001"), "?locationId=H001", requests);
                        String row = String.format("%,10d | %12.1f %12.1f %12.1f | %12.2f %12.2f | %14.2f %14.2f | %14.2f %14.2f",
                                size, alloc[0], alloc[1], alloc[2], inside[0], inside[1], station[0], station[1],
                                hospital[0], hospital[1]);
                        table.add(row);
                        System.out.println(row);
                        Map<Priority, List<Double>> mixed = new java.util.EnumMap<>(Priority.class);
                        allocations(kafka.bootstrapServers(), orders, rate,
                                i -> i % 20 == 10 ? Priority.EMERGENCY : Priority.ROUTINE, mixed);
                        double[] em = percentiles(mixed.getOrDefault(Priority.EMERGENCY, List.of()));
                        double[] ro = percentiles(mixed.getOrDefault(Priority.ROUTINE, List.of()));
                        double[] es = serverLatency(port, Priority.EMERGENCY);
                        String line = String.format("%,10d | ROUTINE at %d/s with 1 EMERGENCY in 20: EMERGENCY p50 %.1f p99 %.1f"
                                + " max %.1f ms (server-side p50 %.1f p99 %.1f ms); ROUTINE p50 %.1f p99 %.1f ms", size, rate,
                                em[0], em[1], em[2], es[0], es[1], ro[0], ro[1]);
                        table.add(line);
                        System.out.println(line);
                        if (burst > 0) {
                            Map<Priority, List<Double>> backlog = new java.util.EnumMap<>(Priority.class);
                            long b0 = System.nanoTime();
                            allocations(kafka.bootstrapServers(), burst, 100_000,
                                    i -> i % 100 == 50 ? Priority.EMERGENCY : Priority.ROUTINE, backlog);
                            double seconds = (System.nanoTime() - b0) / 1e9;
                            double[] eb = percentiles(backlog.getOrDefault(Priority.EMERGENCY, List.of()));
                            double[] ebs = serverLatency(port, Priority.EMERGENCY);
                            String b = String.format("%,10d | burst of %d orders at once: %.0f orders/s (%.1f s to the last"
                                    + " allocation); EMERGENCY in the backlog p50 %.1f p99 %.1f ms (server-side, last two"
                                    + " minutes, p50 %.1f p99 %.1f ms)", size, burst, burst / seconds, seconds, eb[0], eb[1],
                                    ebs[0], ebs[1]);
                            table.add(b);
                            System.out.println(b);
                        }
                    }
                }
                System.out.println();
                System.out.println("Inventory benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
                table.forEach(System.out::println);
            } finally {
                ChildProcesses.stopTree(service, Duration.ofSeconds(10));
            }
        }
    }

    private static Process startService(Path jar, PostgresServer pg, KafkaBroker kafka, int port, Path log)
            throws Exception {
        // a profile of its own: the production settings but tokens checked against the test key, not a Keycloak
        List<String> cmd = List.of(ChildProcesses.javaExecutable(), "-Xmx512m",
                "-Dquarkus.profile=bench",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + pg.jdbcUrl("inventory"),
                "-Dquarkus.datasource.username=" + PostgresServer.USER,
                "-Dquarkus.datasource.password=" + PostgresServer.USER,
                "-Dquarkus.oidc.public-key=" + TestTokens.publicKey(),
                "-Dquarkus.oidc.token.issuer=" + TestTokens.ISSUER,
                "-Dhemolink.inventory.alerts.evaluate=off",
                "-Dhemolink.inventory.allocation.round=off",
                "-Dhemolink.inventory.expiry-sweep=off",
                "-jar", jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        Process process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ChildProcesses.stopTree(process, Duration.ofSeconds(5))));
        return process;
    }

    /**
     * Bags {@code from + 1 .. to}: four components, eight groups (one in twenty RhD-negative), 80 % at the station and
     * the rest at three hospitals, expiry spread over the shelf life; then the levels derived from the units.
     */
    private static void load(Connection db, int from, int to) throws Exception {
        try (Statement st = db.createStatement()) {
            for (int start = from + 1; start <= to; start += 100_000) {
                int end = Math.min(to, start + 99_999);
                st.executeUpdate("""
                        insert into unit (din, component, division, abo, rhd, volume_ml, quantity, uom, collected_at,
                                          expires_at, status, location_id)
                        select 'B9999' || lpad(g::text, 9, '0'), c.component, '', (array['O','A','B','AB'])[1 + g %% 4],
                               case when g %% 20 = 0 then 'NEG' else 'POS' end, 200, c.qty, c.uom,
                               now() - interval '1 day', now() + (2 + g %% c.days) * interval '1 day', 'AVAILABLE',
                               case when g %% 5 = 0 then 'H00' || (1 + g / 5 %% 3) else 'STATION' end
                        from generate_series(%d, %d) g
                        join (values (0, 'RBC_LR', 'U', 33, 2), (1, 'FFP', 'ML', 360, 200), (2, 'PLT_AP', 'DOSE', 3, 1),
                                     (3, 'CRYO', 'U', 360, 1)) c(n, component, uom, days, qty) on c.n = (g / 4) %% 4
                        """.formatted(start, end));
            }
            st.executeUpdate("""
                    insert into stock_level (location_id, component, abo, rhd, bags, quantity, expiring_soon, updated_at)
                    select location_id, component, abo, rhd, count(*), sum(quantity),
                           count(*) filter (where expires_at < now() + interval '72 hours'), now()
                    from unit where status = 'AVAILABLE' group by location_id, component, abo, rhd
                    on conflict (location_id, component, abo, rhd) do update
                       set bags = excluded.bags, quantity = excluded.quantity, expiring_soon = excluded.expiring_soon""");
            st.execute("analyze unit");
            st.execute("analyze stock_level");
        }
    }

    /**
     * Sends {@code count} orders at {@code perSecond}, the i-th of {@code priorityOf(i)}; returns p50, p99 and max of
     * send → first allocation event, in ms, and puts each latency under its priority into {@code byPriority} if given.
     */
    private static double[] allocations(String bootstrap, int count, int perSecond,
                                        java.util.function.IntFunction<Priority> priorityOf,
                                        Map<Priority, List<Double>> byPriority) throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Priority> priorities = new ConcurrentHashMap<>();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean ready = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
                consumer.subscribe(List.of(Topics.ALLOCATIONS));
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (latencies.size() < count && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                        Long at = sent.remove(r.key());
                        if (at != null) {
                            double ms = (System.nanoTime() - at) / 1e6;
                            latencies.add(ms);
                            if (byPriority != null) {
                                synchronized (byPriority) {
                                    byPriority.computeIfAbsent(priorities.get(r.key()), p -> new ArrayList<>()).add(ms);
                                }
                            }
                        }
                    }
                    if (!consumer.assignment().isEmpty()) {
                        ready.set(true);
                    }
                }
            }
        }, "bench-reader");
        reader.start();
        while (!ready.get()) {
            Thread.sleep(50);
        }
        Random random = new Random(42);
        Abo[] abos = Abo.values();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap, "linger.ms", 0,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()))) {
            long interval = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Instant now = Instant.now();
                String id = UUID.randomUUID().toString();
                Priority priority = priorityOf.apply(i);
                priorities.put(id, priority);
                OrderSubmitted order = new OrderSubmitted(id, "H00" + (1 + i % 3), priority, null,
                        now.plus(Duration.ofHours(4)), priority == Priority.EMERGENCY,
                        List.of(new OrderLine(1, Component.RBC_LR, abos[random.nextInt(abos.length)], RhD.POS,
                                priority == Priority.ROUTINE ? 1 : 2, false,
                                false, false, List.of())), now, "bench");
                ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ORDERS, id, JSON.writeValueAsString(order));
                record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add(CloudEventHeaders.TYPE, Events.ORDER_SUBMITTED.ceType().getBytes(StandardCharsets.UTF_8));
                record.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
                sent.put(id, System.nanoTime());
                producer.send(record);
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        reader.join();
        if (latencies.size() < count) {
            System.out.printf("  only %d of %d allocations seen%n", latencies.size(), count);
        }
        return percentiles(latencies);
    }

    /**
     * The service's own p50 and p99 (last two minutes) from an order of {@code priority} reaching the consumer to its
     * allocation committed ({@code hemolink_allocation_latency_seconds}), in ms; NaN where the service has no such
     * metric.
     */
    private static double[] serverLatency(int port, Priority priority) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] out = {Double.NaN, Double.NaN};
        for (String line : metrics.split("\n")) {
            if (line.startsWith("hemolink_allocation_latency_seconds{")
                    && line.contains("priority=\"" + priority.name() + "\"")) {
                double ms = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
                if (line.contains("quantile=\"0.5\"")) {
                    out[0] = ms;
                } else if (line.contains("quantile=\"0.99\"")) {
                    out[1] = ms;
                }
            }
        }
        return out;
    }

    /** The service's own p50 and p99 of one allocation transaction (last two minutes), in ms. */
    private static double[] serverAllocation(int port) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] out = {Double.NaN, Double.NaN};
        for (String line : metrics.split("\n")) {
            if (line.startsWith("hemolink_allocation_seconds{")) {
                double ms = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
                if (line.contains("quantile=\"0.5\"")) {
                    out[0] = ms;
                } else if (line.contains("quantile=\"0.99\"")) {
                    out[1] = ms;
                }
            }
        }
        return out;
    }

    /** {@code requests} sequential GET /stock after a warm-up; returns p50, p99 and max in ms. */
    private static double[] stock(int port, String token, String query, int requests) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/stock" + query))
                .header("Authorization", "Bearer " + token).GET().build();
        for (int i = 0; i < 50; i++) {
            HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        }
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            latencies.add((System.nanoTime() - t) / 1e6);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /stock answered " + response.statusCode() + ": " + response.body());
            }
        }
        return percentiles(latencies);
    }

    private static double[] percentiles(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        if (sorted.isEmpty()) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[]{at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1)};
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
