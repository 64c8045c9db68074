package io.hemolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.contracts.person.IdNumbers;
import io.hemolink.infra.DemoData;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The platform benchmark (issue 15): runs against the platform as {@code deploy/local/up.sh} starts it (bench/run.sh
 * starts it on fresh data, without the demo, and stops it afterwards), puts its own region and stock in through the
 * API, measures each figure next to the raw references of the same broker and database, and prints the table.
 * Orders are offered open-loop (each due at its own time, latency counted from that time). Options as system
 * properties: {@code bench.units} (stock released, 2500), {@code bench.steps} (offered order rates, "50,100,200,300,400"),
 * {@code bench.stepSeconds} (5), {@code bench.overload} (800), {@code bench.stockSeconds} (10).
 */
public final class PlatformBenchmark {

    private static final String[] ABO = {"O", "A", "B", "AB"};
    /** Who orders: a hospital user and a HIS client per hospital, each for its own location. */
    private static final String[][] ORDERERS = {{"hospital-a", "H001"}, {"his-h001", "H001"}, {"hospital-b", "H002"},
            {"his-h002", "H002"}};
    /** The seven callers whose tokens GET /stock rotates. */
    private static final String[] STOCK_CALLERS = {"dispatcher", "hospital-a", "hospital-b", "sp-operator",
            "waiver-admin", "his-h001", "his-h002"};

    private final Api api = new Api();
    private final Path root;
    private final Map<String, String> table = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> openOrders = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger dinSeq = new AtomicInteger();
    private final String dinPrefix;

    private PlatformBenchmark(Path root) {
        this.root = root;
        // a facility code of the bench's own and the minute of the run: DINs never collide with the demo's
        this.dinPrefix = "B" + String.format("%04d", (int) (System.currentTimeMillis() / 60_000 % 10_000)) + "26";
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("hemolink.root", ".")).toAbsolutePath().normalize();
        new PlatformBenchmark(root).run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.println("[bench] " + Runtime.getRuntime().availableProcessors() + " cores, load "
                + java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
        Stats kafka = References.kafkaTwoHops(1000, 200);
        Stats pg = References.postgresCommit(1000);
        System.out.println("[bench] reference Kafka 2 hops " + kafka.summary() + "; PostgreSQL commit " + pg.summary());

        setUp();
        Map<String, Long> pids = Processes.pids(root);
        Map<String, double[]> cpu = cpuPerOrder(pids, Integer.getInteger("bench.cpuOrders", 200), 20);
        // the phases without orders first, so no order backlog disturbs them
        stock();
        stockStream(60);
        feeWaiverQuote(500);
        idleEmergency(40);
        emergencyInRoutineLoad(50, 20);
        sustainableRate();
        overload(Integer.getInteger("bench.overload", 800), 5);
        cleanUp();

        System.out.println();
        System.out.println("Raw references (same broker and database, same moment):");
        System.out.println("  Kafka round trip produce→consume, 2 hops (acks=all): " + kafka.summary());
        System.out.println("  PostgreSQL commit over JDBC (one-row insert):       " + pg.summary());
        System.out.println();
        System.out.println("| figure | target | measured |");
        System.out.println("|---|---|---|");
        table.forEach((figure, measured) -> System.out.println("| " + figure + " | " + measured + " |"));
        System.out.println();
        System.out.println("Per process (CPU per order over the CPU phase, idle CPU subtracted; RSS after the CPU phase and at the end; start-up as logged):");
        System.out.println("| process | JVM flags | CPU ms per order | idle CPU ms/s | RSS MiB after CPU phase / at end | start-up s |");
        System.out.println("|---|---|---|---|---|---|");
        for (var e : pids.entrySet()) {
            double[] c = cpu.get(e.getKey());
            System.out.println("| " + e.getKey() + " | " + Processes.flags(e.getValue()) + " | "
                    + String.format(Locale.ROOT, "%.2f | %.1f | %d / %d", c[0], c[1], (long) c[2], Processes.rssMib(e.getValue()))
                    + " | " + Processes.startupSeconds(root, e.getKey()).map(String::valueOf).orElse("-") + " |");
        }
        System.out.println();
        notes.forEach(n -> System.out.println("note: " + n));
    }

    // ---------------------------------------------------------------- set-up and clean-up

    private void setUp() throws Exception {
        new DemoData(Api.GATEWAY, Api.TOKEN_URL).registerLocations(api.token("dispatcher"));
        int units = Integer.getInteger("bench.units", 2500);
        long t0 = System.nanoTime();
        parallel(8, units, i -> release("RBC_LR", ABO[i % 4], "POS"));
        System.out.printf(Locale.ROOT, "[bench] released %d RBC_LR units at the station through the API in %.1f s%n",
                units, (System.nanoTime() - t0) / 1e9);
        for (String caller : STOCK_CALLERS) {
            api.token(caller);
        }
    }

    /** Releases one unit at the station (on the inventory service); returns when it is committed. */
    private Void release(String component, String abo, String rhd) {
        String data = dinPrefix + String.format("%06d", dinSeq.incrementAndGet());
        String din = data + Din.checkCharacter(data);
        String body = String.format("{\"din\":\"%s\",\"component\":\"%s\",\"abo\":\"%s\",\"rhd\":\"%s\",\"volumeMl\":%d,"
                        + "\"quantity\":%d,\"collectedAt\":\"%s\"}", din, component, abo, rhd,
                component.startsWith("PLT") ? 250 : 200, 1, Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        api.ok(api.send("dispatcher", "POST", Api.INVENTORY + "/units", body));
        return null;
    }

    private void parallel(int threads, int count, IntFunction<?> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                all.add(pool.submit(() -> task.apply(n)));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Cancels the orders the last phase left open, so each phase starts from the same stock. */
    private void cancelOpenOrders() throws Exception {
        List<String> ids;
        synchronized (openOrders) {
            ids = new ArrayList<>(openOrders);
            openOrders.clear();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        AtomicInteger skipped = new AtomicInteger();
        parallel(8, ids.size(), i -> System.nanoTime() > deadline ? skipped.incrementAndGet()
                : api.send("dispatcher", "POST", Api.ORDER + "/orders/" + ids.get(i) + "/cancel",
                "{\"reason\":\"benchmark clean-up\"}"));
        if (skipped.get() > 0) {
            notes.add(skipped.get() + " orders left open after 30 s of cancelling (the data is deleted after the run)");
        }
        // the cancellations' releases reach the inventory asynchronously
        Thread.sleep(2000);
    }

    private void cleanUp() throws Exception {
        cancelOpenOrders();
    }

    // ---------------------------------------------------------------- orders

    private static String orderBody(String location, String priority, String abo) {
        return String.format("{\"locationId\":\"%s\",\"priority\":\"%s\",\"lines\":[{\"component\":\"RBC_LR\",\"abo\":\"%s\","
                + "\"rhd\":\"POS\",\"quantity\":1}]}", location, priority, abo);
    }

    /** SUBMITTED → the first allocation decision (ALLOCATED, PARTIALLY_ALLOCATED or BACKORDERED) in the order's history, ms. */
    private static double[] decision(JsonNode order) {
        Instant submitted = null;
        Instant decided = null;
        String status = null;
        for (JsonNode h : order.path("history")) {
            String s = h.path("status").asText();
            Instant at = OffsetDateTime.parse(h.path("at").asText()).toInstant();
            if (s.equals("SUBMITTED") && submitted == null) {
                submitted = at;
            } else if (decided == null && (s.equals("ALLOCATED") || s.equals("PARTIALLY_ALLOCATED") || s.equals("BACKORDERED"))) {
                decided = at;
                status = s;
            }
        }
        if (submitted == null) {
            submitted = OffsetDateTime.parse(order.path("createdAt").asText()).toInstant();
        }
        if (decided == null) {
            return null;
        }
        return new double[]{ChronoUnit.MICROS.between(submitted, decided) / 1000.0, "ALLOCATED".equals(status) ? 1 : 0};
    }

    /** One EMERGENCY order at a time on an idle platform, through the gateway, polled until the client sees ALLOCATED. */
    private void idleEmergency(int count) throws Exception {
        List<Double> server = new ArrayList<>();
        List<Double> visible = new ArrayList<>();
        int throttled = 0;
        for (int i = 0; i < count + 5; i++) {
            String[] who = ORDERERS[i % 2 == 0 ? 0 : 2];
            long t0 = System.nanoTime();
            JsonNode created = api.ok(api.send(who[0], "POST", Api.GATEWAY + "/orders",
                    orderBody(who[1], "EMERGENCY", ABO[i % 4])));
            String id = created.path("id").asText();
            openOrders.add(id);
            JsonNode order = created;
            String[] pollers = {who[0], "dispatcher"};
            for (int poll = 0; "SUBMITTED".equals(order.path("status").asText()); poll++) {
                HttpResponse<String> r = api.send(pollers[poll % 2], "GET", Api.GATEWAY + "/orders/" + id, null);
                if (r.statusCode() == 429) {
                    throttled++;
                    Thread.sleep(5);
                    continue;
                }
                order = api.ok(r);
                if (System.nanoTime() - t0 > 10_000_000_000L) {
                    break;
                }
            }
            double seen = (System.nanoTime() - t0) / 1e6;
            double[] d = decision(order);
            if (i >= 5 && d != null) { // the first five warm up
                server.add(d[0]);
                visible.add(seen);
            }
            Thread.sleep(250);
        }
        cancelOpenOrders();
        Stats s = new Stats(server);
        Stats v = new Stats(visible);
        table.put("EMERGENCY submitted → ALLOCATED, idle: server-side (history) | p99 ≤ 15 ms", s.summary());
        table.put("EMERGENCY submitted → ALLOCATED, idle: visible to the client (POST + polling GET via gateway) | p99 ≤ 25 ms",
                v.summary() + (throttled > 0 ? "; " + throttled + " polls got 429" : ""));
        System.out.println("[bench] idle EMERGENCY: server " + s.summary() + ", visible " + v.summary());
    }

    private record Offered(String id, int status, double postMs, boolean retryAfter) {
    }

    /**
     * Offers orders open-loop at {@code perSecond} for {@code seconds} on the order service; {@code emergencyEvery}
     * &gt; 0 makes every n-th one EMERGENCY (the rest ROUTINE). Each order's POST latency counts from when it was due.
     */
    private List<Offered> offer(int perSecond, double seconds, int emergencyEvery, List<String> emergencies) throws Exception {
        int count = (int) Math.round(perSecond * seconds);
        List<Offered> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(count);
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            Pacing.sleepUntil(due);
            String[] who = ORDERERS[i % ORDERERS.length];
            boolean emergency = emergencyEvery > 0 && i % emergencyEvery == emergencyEvery / 2;
            api.sendAsync(who[0], "POST", Api.ORDER + "/orders",
                    orderBody(who[1], emergency ? "EMERGENCY" : "ROUTINE", ABO[i % 4])).whenComplete((r, failure) -> {
                double ms = (System.nanoTime() - due) / 1e6;
                if (failure != null) {
                    results.add(new Offered(null, -1, ms, false));
                } else {
                    String id = null;
                    if (r.statusCode() == 201) {
                        try {
                            id = Api.JSON.readTree(r.body()).path("id").asText();
                        } catch (IOException e) {
                            id = null;
                        }
                        openOrders.add(id);
                        if (emergency && emergencies != null) {
                            emergencies.add(id);
                        }
                    }
                    results.add(new Offered(id, r.statusCode(), ms, r.headers().firstValue("Retry-After").isPresent()));
                }
                done.countDown();
            });
        }
        done.await(120, TimeUnit.SECONDS);
        return new ArrayList<>(results);
    }

    /**
     * The server-side allocation latencies (history) of the given orders, read after the phase; an order still
     * undecided is asked again until 30 s after the phase ended, then counted in {@link #undecided}.
     */
    private List<Double> serverSide(List<String> ids) throws Exception {
        ConcurrentLinkedQueue<Double> found = new ConcurrentLinkedQueue<>();
        AtomicInteger open = new AtomicInteger();
        long deadline = System.nanoTime() + 30_000_000_000L;
        parallel(8, ids.size(), i -> {
            while (true) {
                HttpResponse<String> r = api.send("dispatcher", "GET", Api.ORDER + "/orders/" + ids.get(i), null);
                double[] d = r.statusCode() == 200 ? decision(api.ok(r)) : null;
                if (d != null) {
                    found.add(d[0]);
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    open.incrementAndGet();
                    return null;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        });
        undecided = open.get();
        return new ArrayList<>(found);
    }

    /** How many orders of the last {@link #serverSide} call had no allocation decision 30 s after their phase. */
    private int undecided;

    private String undecidedNote() {
        return undecided == 0 ? "" : "; " + undecided + " still SUBMITTED 30 s after the phase (not in the percentiles)";
    }

    private void emergencyInRoutineLoad(int perSecond, int seconds) throws Exception {
        List<String> emergencies = Collections.synchronizedList(new ArrayList<>());
        List<Offered> offered = offer(perSecond, seconds, perSecond, emergencies);
        Thread.sleep(1000);
        Stats s = new Stats(serverSide(emergencies));
        long refused = offered.stream().filter(o -> o.status() != 201).count();
        table.put("EMERGENCY sent into a ROUTINE load of " + perSecond + "/s (server-side) | ≤ 50 ms",
                s.summary() + undecidedNote() + (refused > 0 ? "; " + refused + " of " + offered.size() + " POSTs not 201" : ""));
        System.out.println("[bench] EMERGENCY in ROUTINE " + perSecond + "/s: " + s.summary());
        cancelOpenOrders();
    }

    /**
     * CPU per order, per process: {@code count} EMERGENCY/URGENT/ROUTINE orders at {@code perSecond} (a rate the
     * platform keeps up with), waited for until the last is decided, minus each process's idle CPU over the same time
     * (measured for 10 s before); returns per process {ms per order, idle ms per s, RSS MiB}.
     */
    private Map<String, double[]> cpuPerOrder(Map<String, Long> pids, int count, int perSecond) throws Exception {
        Thread.sleep(5000);
        Map<String, Long> idleStart = new LinkedHashMap<>();
        pids.forEach((k, pid) -> idleStart.put(k, Processes.cpuMillis(pid)));
        long i0 = System.nanoTime();
        Thread.sleep(10_000);
        double idleSeconds = (System.nanoTime() - i0) / 1e9;
        Map<String, Double> idlePerSecond = new LinkedHashMap<>();
        pids.forEach((k, pid) -> idlePerSecond.put(k, (Processes.cpuMillis(pid) - idleStart.get(k)) / idleSeconds));
        Map<String, Long> before = new LinkedHashMap<>();
        pids.forEach((k, pid) -> before.put(k, Processes.cpuMillis(pid)));
        long t0 = System.nanoTime();
        List<Offered> offered = offer(perSecond, count / (double) perSecond, 0, null);
        List<String> ids = offered.stream().filter(o -> o.id() != null).map(Offered::id).toList();
        // wait for the last order's decision only (few requests), then let the events settle
        String last = ids.get(ids.size() - 1);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline
                && decision(api.ok(api.send("dispatcher", "GET", Api.ORDER + "/orders/" + last, null))) == null) {
            Thread.sleep(500);
        }
        Thread.sleep(3000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, double[]> out = new LinkedHashMap<>();
        pids.forEach((k, pid) -> out.put(k, new double[]{
                (Processes.cpuMillis(pid) - before.get(k) - idlePerSecond.get(k) * seconds) / ids.size(),
                idlePerSecond.get(k), Processes.rssMib(pid)}));
        Stats alloc = new Stats(serverSide(ids));
        System.out.printf(Locale.ROOT, "[bench] CPU phase: %d orders at %d/s, allocation %s%s, %.0f s%n", ids.size(),
                perSecond, alloc.summary(), undecidedNote(), seconds);
        cancelOpenOrders();
        return out;
    }

    /** Steps the offered rate until latency explodes. */
    private void sustainableRate() throws Exception {
        int[] steps = java.util.Arrays.stream(System.getProperty("bench.steps", "50,100,200,300,400").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        double stepSeconds = Double.parseDouble(System.getProperty("bench.stepSeconds", "5"));
        StringBuilder rows = new StringBuilder();
        int sustainable = 0;
        String at100 = "-";
        for (int rate : steps) {
            long t0 = System.nanoTime();
            List<Offered> offered = offer(rate, stepSeconds, 0, null);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            List<String> ids = offered.stream().filter(o -> o.id() != null).map(Offered::id).toList();
            Stats alloc = new Stats(serverSide(ids));
            Stats post = new Stats(offered.stream().filter(o -> o.status() == 201).map(Offered::postMs).toList());
            long other = offered.size() - ids.size();
            double achieved = ids.size() / elapsed;
            String row = String.format(Locale.ROOT, "%d/s: %.0f/s created, POST %s, allocation %s%s%s", rate, achieved,
                    post.summary(), alloc.summary(), other > 0 ? ", " + other + " not 201" : "", undecidedNote());
            System.out.println("[bench] step " + row);
            rows.append(rows.length() == 0 ? "" : "<br>").append(row);
            if (rate == 100) {
                at100 = "p99 " + Stats.ms(alloc.p(0.99)) + " ms allocation, " + Stats.ms(post.p(0.99)) + " ms POST";
            }
            boolean exploded = undecided > 0 || alloc.p(0.99) > 1000;
            if (other == 0 && !exploded && achieved >= 0.9 * rate && alloc.p(0.99) <= 100 && post.p(0.99) <= 100) {
                sustainable = rate;
            }
            cancelOpenOrders();
            if (exploded) {
                rows.append("<br>higher steps not run: latency had exploded (p99 > 1 s or orders left undecided)");
                break;
            }
        }
        table.put("sustainable order rate (offered open-loop on the order service, stepped) | ≥ 300/s, p99 ≤ 100 ms at 100/s",
                "highest step with p99 ≤ 100 ms and no refusal: " + sustainable + "/s; at 100/s " + at100 + "<br>" + rows);
    }

    private void overload(int perSecond, int seconds) throws Exception {
        List<Offered> offered = offer(perSecond, seconds, 0, null);
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        offered.forEach(o -> byStatus.merge(o.status(), 1L, Long::sum));
        long withRetryAfter = offered.stream().filter(o -> o.status() == 429 && o.retryAfter()).count();
        Stats ok = new Stats(offered.stream().filter(o -> o.status() == 201).map(Offered::postMs).toList());
        String result = String.format(Locale.ROOT, "%d/s for %d s: answers %s (-1 = no answer); 429 with Retry-After: %d; "
                + "201 POST %s", perSecond, seconds, byStatus, withRetryAfter, ok.summary());
        table.put("overload: 429 + Retry-After before latency explodes | 429s come", result);
        System.out.println("[bench] overload " + result);
        cancelOpenOrders();
    }

    // ---------------------------------------------------------------- stock

    private void stock() throws Exception {
        int seconds = Integer.getInteger("bench.stockSeconds", 10);
        double[] service = stockLoad(Api.INVENTORY, seconds, "service");
        double[] gateway = stockLoad(Api.GATEWAY, seconds, "gateway");
        double overhead = (gateway[1] - service[1]) / service[1] * 100;
        table.put("GET /stock, 4 connections, 7 callers' tokens rotated, on the service | ≥ 3,000 req/s, p99 ≤ 20 ms",
                String.format(Locale.ROOT, "%.0f req/s, p50 %s / p99 %s ms", service[0], Stats.ms(service[1]), Stats.ms(service[2])));
        table.put("GET /stock, the same through the gateway | gateway overhead ≤ 20 %",
                String.format(Locale.ROOT, "%.0f req/s (200s), p50 %s / p99 %s ms; overhead on p50 %+.0f %%, throughput %+.0f %%%s",
                        gateway[0], Stats.ms(gateway[1]), Stats.ms(gateway[2]), overhead,
                        (gateway[0] - service[0]) / service[0] * 100,
                        gateway[3] > 0 ? String.format(Locale.ROOT, "; %.0f answered 429 (per-caller limit)", gateway[3]) : ""));
    }

    /** Four workers, closed loop, for {@code seconds} after a 2 s warm-up: {req/s of 200s, p50, p99, 429s}. */
    private double[] stockLoad(String base, int seconds, String label) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong throttled = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger turn = new AtomicInteger();
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(pool.submit(() -> {
                long now;
                while ((now = System.nanoTime()) < end) {
                    String caller = STOCK_CALLERS[Math.floorMod(turn.getAndIncrement(), STOCK_CALLERS.length)];
                    HttpResponse<String> r = api.send(caller, "GET", base + "/stock", null);
                    long t = System.nanoTime();
                    if (now < warmEnd) {
                        continue;
                    }
                    if (r.statusCode() == 200) {
                        latencies.add((t - now) / 1e6);
                    } else if (r.statusCode() == 429) {
                        throttled.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        Stats s = new Stats(latencies);
        if (failed.get() > 0) {
            notes.add("GET /stock on the " + label + ": " + failed.get() + " answers neither 200 nor 429");
        }
        System.out.printf(Locale.ROOT, "[bench] GET /stock on the %s: %.0f req/s, %s, %d × 429%n", label,
                s.count() / (double) seconds, s.summary(), throttled.get());
        return new double[]{s.count() / (double) seconds, s.p(0.5), s.p(0.99), throttled.get()};
    }

    /** Releases of one key, each timed to its {@code stock} event on a subscriber of /stock/stream (through the gateway). */
    private void stockStream(int count) throws Exception {
        Map<Integer, Long> arrived = new ConcurrentHashMap<>();
        CountDownLatch connected = new CountDownLatch(1);
        var stream = api.http.sendAsync(api.request("dispatcher", "GET", Api.GATEWAY + "/stock/stream", null),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<java.util.stream.Stream<String>> r = stream.get(30, TimeUnit.SECONDS);
                connected.countDown();
                r.body().forEach(line -> {
                    long t = System.nanoTime();
                    if (line.startsWith("data:") && line.contains("\"PLT_AP\"") && line.contains("\"STATION\"")
                            && line.contains("\"AB\"") && line.contains("\"NEG\"")) {
                        try {
                            JsonNode item = Api.JSON.readTree(line.substring(5));
                            arrived.putIfAbsent(item.path("bags").asInt(), t);
                        } catch (IOException ignored) {
                            // not a stock item
                        }
                    }
                });
            } catch (Exception e) {
                connected.countDown();
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        connected.await(30, TimeUnit.SECONDS);
        Thread.sleep(500);
        List<Double> fromSend = new ArrayList<>();
        List<Double> fromCommit = new ArrayList<>();
        for (int i = 1; i <= count + 5; i++) {
            long sent = System.nanoTime();
            release("PLT_AP", "AB", "NEG");
            long committed = System.nanoTime();
            long deadline = committed + 5_000_000_000L;
            while (!arrived.containsKey(i) && System.nanoTime() < deadline) {
                Thread.sleep(0, 200_000);
            }
            Long at = arrived.get(i);
            if (at != null && i > 5) {
                fromSend.add((at - sent) / 1e6);
                fromCommit.add(Math.max(0, at - committed) / 1e6);
            }
            Thread.sleep(50);
        }
        stream.cancel(true);
        Stats s = new Stats(fromSend);
        Stats c = new Stats(fromCommit);
        table.put("stock change → SSE subscriber (/stock/stream via the gateway) | ≤ 10 ms p99",
                "from the 201 of POST /units: " + c.summary() + "; from its send: " + s.summary()
                        + (s.count() < count ? "; " + (count - s.count()) + " events not seen in 5 s" : ""));
        System.out.println("[bench] SSE " + c.summary());
    }

    // ---------------------------------------------------------------- fee waiver

    private void feeWaiverQuote(int count) throws Exception {
        String first17 = "33010619800101" + String.format("%03d", (int) (System.currentTimeMillis() % 1000));
        String idNumber = first17 + IdNumbers.checkCharacter(first17);
        api.ok(api.send("waiver-admin", "POST", Api.FEE_WAIVER + "/donations", String.format("{\"donationId\":\"BENCH-%d\","
                        + "\"donorIdNumber\":\"%s\",\"donorName\":\"基准\",\"donatedAt\":\"%s\",\"kind\":\"WHOLE_BLOOD\","
                        + "\"volumeMl\":400,\"rhdNegative\":false}", System.currentTimeMillis(), idNumber,
                Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))));
        List<Double> latencies = new ArrayList<>();
        boolean eligible = false;
        for (int i = 0; i < count + 50; i++) {
            String bill = String.format(Locale.ROOT, "{\"hospitalId\":\"H002\",\"billNo\":\"BENCH-%d\",\"patientIdNumber\":\"%s\","
                    + "\"patientName\":\"基准\",\"items\":[{\"component\":\"RBC\",\"quantity\":2,\"amountYuan\":440.00}],"
                    + "\"insuranceCoveredYuan\":0}", i, idNumber);
            long t = System.nanoTime();
            JsonNode quote = api.ok(api.send("his-h002", "POST", Api.FEE_WAIVER + "/fee-waivers/quote", bill));
            if (i >= 50) {
                latencies.add((System.nanoTime() - t) / 1e6);
            }
            eligible = quote.path("eligible").asBoolean();
        }
        Stats s = new Stats(latencies);
        table.put("fee-waiver quote (on the service, sequential, an eligible donor) | p99 ≤ 10 ms",
                s.summary() + (eligible ? "" : " (the quote said not eligible)"));
        System.out.println("[bench] quote " + s.summary());
    }
}
