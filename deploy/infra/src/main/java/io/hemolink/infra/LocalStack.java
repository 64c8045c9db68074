package io.hemolink.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole platform on one machine, as {@code deploy/local/up.sh} runs it: PostgreSQL, Kafka and Keycloak from
 * Maven Central artifacts, then the five services and the gateway as child JVMs. Data lives in one folder between
 * runs ({@code --fresh} wipes it); every process logs into one run folder. Ctrl-C (or SIGTERM from down.sh) stops
 * everything, in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    public static final int POSTGRES_PORT = 15432;
    public static final int KAFKA_PORT = 9092;
    public static final int KAFKA_CONTROLLER_PORT = 9093;
    public static final int KEYCLOAK_PORT = 8180;
    /** Keycloak's management interface (health): fixed too, never a port picked at start (ADR 0018). */
    public static final int KEYCLOAK_MANAGEMENT_PORT = 8181;

    /** The services in start order: name, module directory, port, database (null for none). */
    record Service(String name, String module, int port, String database) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("inventory", "services/inventory", 8081, "inventory"),
            new Service("order", "services/order", 8082, "orders"),
            new Service("storage-point", "services/storage-point", 8083, "storage_point"),
            new Service("fee-waiver", "services/fee-waiver", 8084, "fee_waiver"),
            new Service("notification", "services/notification", 8085, "notification"),
            new Service("gateway", "gateway", 8080, null));

    /**
     * Every port the platform listens on, and what listens there: all fixed (ADR 0018), below the kernel's
     * ephemeral range (32768+), so no port another process is handed at random can take one between our check and
     * the bind; each is checked free before anything starts.
     */
    public static Map<Integer, String> ports() {
        return ports(1);
    }

    /** The ports with {@code replicas} instances of each service: instance i (from 1) on its port + 1000 × (i − 1). */
    public static Map<Integer, String> ports(int replicas) {
        Map<Integer, String> ports = new java.util.TreeMap<>(); // by port, as docs/operations.md lists them
        for (Service s : SERVICES) {
            ports.put(s.port(), s.name().equals("gateway") ? "the gateway" : "the " + s.name() + " service");
            for (int i = 2; !s.name().equals("gateway") && i <= replicas; i++) {
                ports.put(port(s, i), "instance " + i + " of the " + s.name() + " service");
            }
        }
        ports.put(KEYCLOAK_PORT, "Keycloak");
        ports.put(KEYCLOAK_MANAGEMENT_PORT, "Keycloak's management interface");
        ports.put(KAFKA_PORT, "Kafka");
        ports.put(KAFKA_CONTROLLER_PORT, "Kafka's controller");
        ports.put(POSTGRES_PORT, "PostgreSQL");
        return ports;
    }

    private final Path root;
    private final Path home;
    private final Path dataDir;
    private final Path runDir;
    private final List<AutoCloseable> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Process> services = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private KeycloakServer keycloak;
    /** Instances of each service started with the platform ({@code --replicas=N}, default 1). */
    private int replicas = 1;
    /** Instances of each service the gateway knows (at least {@link #replicas}; more leaves room to start some later). */
    private int gatewayReplicas = 1;

    /** The HTTP port of instance {@code instance} (from 1) of a service. */
    static int port(Service s, int instance) {
        return s.port() + 1000 * (instance - 1);
    }

    /** The name of instance {@code instance} of a service: its own name for the first, {@code name-i} for the others. */
    static String instanceName(Service s, int instance) {
        return instance == 1 ? s.name() : s.name() + "-" + instance;
    }

    /** Whether the inventory records the demo's four weeks of past on an empty ledger (up.sh with the demo, ADR 0033). */
    private boolean demoHistory;

    LocalStack(Path root, Path home, Path runDir) {
        this.root = root;
        this.home = home;
        this.dataDir = home.resolve("data");
        this.runDir = runDir;
    }

    /**
     * The platform for an end-to-end suite, started exactly as {@code up.sh} starts it, but on empty data under
     * {@code home} (not the developer's {@code .hemolink}), without demo data, and with the allocation round every 5 s
     * (shortage sharing need not wait 5 min); {@link #close()} stops it.
     */
    public static LocalStack startForTests(Path root, Path home) throws Exception {
        deleteTree(home.resolve("data"));
        Path runDir = home.resolve("runs").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        Files.createDirectories(home.resolve("data"));
        LocalStack stack = new LocalStack(root, home, runDir);
        // the shortage round every few seconds, not every 5 min, so a suite sees rationed lines shared
        stack.settings.put("HEMOLINK_INVENTORY_ALLOCATION_ROUND", "5s");
        // one instance of each service; the gateway knows a second, which the replica scenario starts and kills;
        // the service-level check every 5 s, so that scenario sees within seconds that two instances run it once
        stack.gatewayReplicas = 2;
        stack.settings.put("HEMOLINK_ORDER_SERVICE_LEVELS_CHECK", "5s");
        try {
            stack.start();
        } catch (Exception e) {
            stack.stop();
            throw new IllegalStateException("the platform did not start (logs in " + runDir + "): " + e.getMessage(), e);
        }
        return stack;
    }

    /** Kills a service at once (SIGKILL, as a crash would), without waiting for anything it has in flight. */
    public void killService(String name) {
        Process p = services.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not die: " + e.getMessage(), e);
        }
        log(name + " killed");
    }

    /** Starts a service again (after {@link #killService}; {@code name-i} for its instance i) and waits until it is ready. */
    public void restartService(String name) throws IOException {
        int dash = name.lastIndexOf('-');
        int instance = dash > 0 && name.substring(dash + 1).chars().allMatch(Character::isDigit)
                ? Integer.parseInt(name.substring(dash + 1)) : 1;
        String service = instance == 1 ? name : name.substring(0, dash);
        Service s = SERVICES.stream().filter(x -> x.name().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
        startInstance(s, instance);
        log(name + " started");
    }

    /** Starts instance {@code instance} of a service (one the gateway knows) and waits until it is ready. */
    public void startReplica(String service, int instance) throws IOException {
        if (instance > gatewayReplicas) {
            throw new IllegalArgumentException("the gateway knows " + gatewayReplicas + " instances of each service");
        }
        restartService(service + "-" + instance);
    }

    /** Stops instance {@code name} (SIGTERM, as a scale-down would) and waits for it to exit. */
    public void stopService(String name) {
        Process p = services.remove(name);
        if (p == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        ChildProcesses.stopTree(p, Duration.ofSeconds(15));
        log(name + " stopped");
    }

    private void startInstance(Service s, int instance) throws IOException {
        String name = instanceName(s, instance);
        services.put(name, startService(s, instance, postgres, kafka, keycloak));
        awaitReady(s, instance);
    }

    /** Kills the Kafka broker (SIGKILL); its data stays for {@link #restartKafka}. */
    public void killKafka() {
        kafka.kill();
        log("Kafka killed");
    }

    public void restartKafka() throws IOException {
        kafka.start(Duration.ofSeconds(90));
        log("Kafka restarted");
    }

    /** Kills PostgreSQL (SIGKILL to the postmaster and its backends); its data stays for {@link #restartPostgres}. */
    public void killPostgres() throws IOException {
        postgres.kill();
        log("PostgreSQL killed");
    }

    /** Starts PostgreSQL again on its data (it recovers from its write-ahead log) and waits until it accepts connections. */
    public void restartPostgres() throws IOException {
        postgres.restart();
        log("PostgreSQL restarted");
    }

    /**
     * Cuts the services off their databases: every open connection is terminated and new ones are refused, as a
     * network cut between them would, until {@link #restoreDatabaseConnections}.
     */
    public void cutDatabaseConnections() {
        cutDatabaseConnections(databases());
    }

    /** Cuts only the named services off their databases (e.g. {@code "inventory"}), the others keep theirs. */
    public void cutDatabaseConnections(String... services) {
        cutDatabaseConnections(List.of(services).stream().map(n -> SERVICES.stream().filter(s -> s.name().equals(n))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no service " + n)).database())
                .filter(java.util.Objects::nonNull).toList());
    }

    private void cutDatabaseConnections(List<String> databases) {
        postgres.refuseConnections(databases);
        log("database connections cut: " + databases);
    }

    /** Allows every service's database connections again (after {@link #cutDatabaseConnections}). */
    public void restoreDatabaseConnections() {
        postgres.allowConnections(databases());
        log("database connections allowed again");
    }

    private List<String> databases() {
        return SERVICES.stream().map(Service::database).filter(java.util.Objects::nonNull).toList();
    }

    /** Kills Keycloak (SIGKILL); its data stays for {@link #restartKeycloak}. */
    public void killKeycloak() {
        keycloak.kill();
        log("Keycloak killed");
    }

    /** Starts Keycloak again on its data and waits until the realm answers. */
    public void restartKeycloak() throws IOException {
        keycloak.start();
        log("Keycloak restarted");
    }

    /** Where this run's logs are. */
    public Path runDir() {
        return runDir;
    }

    @Override
    public void close() {
        stop();
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("hemolink.root", ".")).toAbsolutePath().normalize();
        Path home = root.resolve(".hemolink");
        boolean fresh = List.of(args).contains("--fresh");
        boolean demo = !List.of(args).contains("--no-demo");
        Path dataDir = home.resolve("data");
        if (fresh) {
            deleteTree(dataDir);
        }
        Path runDir = home.resolve("runs").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        Files.createDirectories(dataDir);
        LocalStack stack = new LocalStack(root, home, runDir);
        stack.replicas = List.of(args).stream().filter(a -> a.startsWith("--replicas=")).map(a -> a.substring(11))
                .map(Integer::parseInt).findFirst().orElse(1);
        if (stack.replicas < 1 || stack.replicas > 9) {
            System.err.println("--replicas must be 1 to 9");
            System.exit(2);
        }
        stack.gatewayReplicas = stack.replicas;
        stack.demoHistory = demo;
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "stop-hemolink"));
        Instant t0 = Instant.now();
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("Hemolink did not start: " + e.getMessage());
            System.err.println("Logs: " + runDir);
            System.exit(1);
        }
        long seconds = Duration.between(t0, Instant.now()).toSeconds();
        log("every service ready after " + seconds + " s");
        if (demo) {
            stack.loadDemoData();
            int pace = List.of(args).stream().filter(a -> a.startsWith("--pace=")).map(a -> a.substring(7))
                    .map(Integer::parseInt).findFirst()
                    .orElse(Integer.parseInt(System.getenv().getOrDefault("HEMOLINK_DEMO_PACE", "20")));
            stack.startDemoActivity(pace);
        }
        seconds = Duration.between(t0, Instant.now()).toSeconds();
        stack.printWelcome(seconds);
        Files.writeString(home.resolve("ready"), "started in " + seconds + " s; logs " + runDir + "\n");
        Thread.currentThread().join();
    }

    void start() throws Exception {
        log("data in " + dataDir + ", logs in " + runDir);
        // a port still held for a moment by a process stopped just before is waited for, briefly
        ChildProcesses.requirePortsFree(ports(replicas), Duration.ofSeconds(5),
                "is deploy/local/up.sh running (deploy/local/down.sh stops it), or an end-to-end run (./mvnw verify)? "
                        + "Hemolink needs all of " + ports(replicas).keySet());
        KeycloakServer kc = new KeycloakServer(KEYCLOAK_PORT, KEYCLOAK_MANAGEMENT_PORT, root.resolve(".hemolink/dist"),
                dataDir.resolve("keycloak"),
                root.resolve("deploy/local/keycloak/hemolink-realm.json"), runDir.resolve("keycloak.log"));
        started.add(kc);
        // Keycloak takes longest: it starts while PostgreSQL and Kafka do
        CompletableFuture<Void> keycloakStarted = CompletableFuture.runAsync(() -> {
            try {
                kc.start();
            } catch (Exception e) {
                throw new IllegalStateException("Keycloak: " + e.getMessage(), e);
            }
        });
        postgres = PostgresServer.start(POSTGRES_PORT, dataDir.resolve("postgres"));
        started.add(postgres);
        for (Service s : SERVICES) {
            if (s.database() != null) {
                postgres.createDatabase(s.database());
            }
        }
        log("PostgreSQL ready on " + POSTGRES_PORT);
        kafka = new KafkaBroker(KAFKA_PORT, KAFKA_CONTROLLER_PORT, dataDir.resolve("kafka"),
                runDir.resolve("kafka.log"), "-Xmx384m");
        started.add(kafka);
        kafka.start(Duration.ofSeconds(90));
        log("Kafka ready on " + KAFKA_PORT);
        keycloakStarted.join();
        this.keycloak = kc;
        log("Keycloak ready on " + KEYCLOAK_PORT);
        for (Service s : SERVICES) {
            for (int i = 1; i <= (s.name().equals("gateway") ? 1 : replicas); i++) {
                services.put(instanceName(s, i), startService(s, i, postgres, kafka, kc));
            }
        }
        for (Service s : SERVICES) {
            for (int i = 1; i <= (s.name().equals("gateway") ? 1 : replicas); i++) {
                awaitReady(s, i);
                log(instanceName(s, i) + " ready on " + port(s, i));
            }
        }
    }

    /** The living demo: {@code perMinute} steps of the region's work a minute through the gateway (0: none). */
    void startDemoActivity(int perMinute) {
        if (perMinute <= 0) {
            return;
        }
        DemoActivity activity = new DemoActivity("http://localhost:8080/api/v1", "http://localhost:" + KEYCLOAK_PORT
                + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect/token", System.nanoTime());
        started.add(() -> {
            activity.close();
            log(activity.summary());
        });
        activity.start(perMinute);
        log("demo activity running: " + perMinute + " steps a minute (releases, orders, dispatch, receipts, "
                + "transfusions, temperatures, donations, waivers); --pace=N or HEMOLINK_DEMO_PACE to change, 0 for none");
    }

    /**
     * Loads the demo stock once per data folder (a marker file records it), after the inventory has recorded the
     * demo's past (it is ready only then), and evaluates the supply levels at once, so the alerts the history and the
     * stock make are there from the start (not at the next hourly evaluation).
     */
    void loadDemoData() {
        Path marker = dataDir.resolve("demo-loaded");
        if (Files.exists(marker)) {
            log("demo data already loaded (start with --fresh for a new set)");
            return;
        }
        DemoData demo = new DemoData("http://localhost:8080/api/v1",
                "http://localhost:" + KEYCLOAK_PORT + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect/token");
        try {
            int created = demo.load(400);
            Files.writeString(marker, Instant.now() + " " + created + " units\n");
            log("demo region registered (H001, H002, H003, SP01) and stock loaded: " + created + " units at the station, the hospitals and SP01");
        } catch (Exception e) {
            log("demo data could not be loaded: " + e.getMessage());
            return;
        }
        try {
            String token = demo.token("dispatcher", "dispatcher");
            int alerts = demo.evaluateAlerts(token);
            int[] cells = demo.cellsWithDaysOfSupply(token);
            log("demo history: " + cells[0] + " of " + cells[1] + " balance board cells show days of supply; supply levels "
                    + "evaluated, " + alerts + " alert(s) raised or cleared");
        } catch (Exception e) {
            log("supply levels could not be evaluated now (the hourly evaluation will): " + e.getMessage());
        }
    }

    private Process startService(Service s, int instance, PostgresServer postgres, KafkaBroker kafka, KeycloakServer kc)
            throws IOException {
        Path jar = root.resolve(s.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcesses.javaExecutable());
        cmd.addAll(jvmFlags(s.name()));
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve(instanceName(s, instance) + ".log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port(s, instance)));
        if (s.name().equals("gateway")) {
            // every instance of each service the gateway spreads calls across (ADR 0036)
            for (Service upstream : SERVICES) {
                if (upstream.database() == null) {
                    continue;
                }
                List<String> urls = new ArrayList<>();
                for (int i = 1; i <= gatewayReplicas; i++) {
                    urls.add("http://localhost:" + port(upstream, i));
                }
                env.put("HEMOLINK_" + upstream.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_URL",
                        String.join(",", urls));
            }
        }
        if (s.database() != null) {
            env.put("HEMOLINK_DB_URL", postgres.jdbcUrl(s.database()));
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("HEMOLINK_OIDC_URL", kc.issuerUrl());
        env.putAll(settings);
        if ("inventory".equals(s.name()) && demoHistory) {
            // four weeks of past activity through the ledger, only on an empty ledger (a fresh data folder)
            env.put("HEMOLINK_INVENTORY_DEMO_HISTORY_ENABLED", "true");
        }
        if ("fee-waiver".equals(s.name())) {
            env.putAll(localKeys("fee-waiver", Map.of("HEMOLINK_FEE_WAIVER_ID_HASH_KEY", 48,
                    "HEMOLINK_FEE_WAIVER_ID_ENCRYPTION_KEY", 32)));
        }
        if ("notification".equals(s.name())) {
            // the local demo's webhooks may go to any host, a receiver on this machine too (ADR 0037); never in production
            env.put("HEMOLINK_NOTIFICATION_ALLOWED_HOSTS", "*");
            env.put("HEMOLINK_NOTIFICATION_ALLOW_LOOPBACK", "true");
            env.putAll(localKeys("notification", Map.of("HEMOLINK_NOTIFICATION_SECRET_KEY", 32)));
        }
        return pb.start();
    }

    /**
     * Every service's JVM flags unless HEMOLINK_JVM_OPTS (all) or HEMOLINK_JVM_OPTS_&lt;SERVICE&gt; replaces them: C1 only,
     * chosen on measured CPU per order, RSS and start-up against full tiered compilation (ADR 0027).
     */
    static final String DEFAULT_JVM_FLAGS = "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

    /**
     * The JVM flags of a service (ADR 0027): the default, or what {@code HEMOLINK_JVM_OPTS_<SERVICE>} (e.g.
     * {@code HEMOLINK_JVM_OPTS_STORAGE_POINT}) or {@code HEMOLINK_JVM_OPTS} says, so the settings can be measured
     * against each other on the running platform (bench/run.sh).
     */
    static List<String> jvmFlags(String service) {
        String own = System.getenv("HEMOLINK_JVM_OPTS_" + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        String all = System.getenv("HEMOLINK_JVM_OPTS");
        String flags = own != null && !own.isBlank() ? own : all != null && !all.isBlank() ? all : DEFAULT_JVM_FLAGS;
        return List.of(flags.trim().split("\\s+"));
    }

    /**
     * A service's keys (the fee-waiver's for ID numbers, HMAC for lookup and AES-256 for display; the notification
     * service's AES-256 key for its subscriptions' secrets): random, Base64, of the given byte lengths, made once per
     * local data folder and kept there as {@code <service>-keys.properties}, so that what was stored stays readable
     * across restarts ({@code --fresh} makes new ones with the new data). Never committed; production takes its keys
     * from its own secret store.
     */
    private Map<String, String> localKeys(String service, Map<String, Integer> bytesByName) throws IOException {
        Path file = dataDir.resolve(service + "-keys.properties");
        java.util.Properties keys = new java.util.Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                keys.load(in);
            }
        } else {
            java.security.SecureRandom random = new java.security.SecureRandom();
            for (Map.Entry<String, Integer> k : new java.util.TreeMap<>(bytesByName).entrySet()) {
                byte[] key = new byte[k.getValue()];
                random.nextBytes(key);
                keys.setProperty(k.getKey(), java.util.Base64.getEncoder().encodeToString(key));
            }
            try (var out = Files.newOutputStream(file)) {
                keys.store(out, "local " + service + " keys, made by up.sh; never commit");
            }
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the folder's own permissions apply
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        keys.stringPropertyNames().forEach(k -> env.put(k, keys.getProperty(k)));
        return env;
    }

    private void awaitReady(Service s, int instance) {
        String name = instanceName(s, instance);
        String health = "http://localhost:" + port(s, instance) + "/q/health/ready";
        // the inventory is ready once the demo history is recorded: about 5,500 movements on a fresh data folder
        Duration limit = Duration.ofSeconds("inventory".equals(s.name()) && demoHistory ? 420 : 120);
        ChildProcesses.await(name, services.get(name), limit,
                () -> ChildProcesses.answers200(health), runDir.resolve(name + ".log"));
    }

    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log("stopping");
        List<Map.Entry<String, Process>> reversed;
        synchronized (services) {
            reversed = new ArrayList<>(services.entrySet());
        }
        java.util.Collections.reverse(reversed);
        reversed.parallelStream().forEach(e -> ChildProcesses.stopTree(e.getValue(), Duration.ofSeconds(15)));
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(home.resolve("ready"));
        } catch (IOException ignored) {
            // nothing to clean up then
        }
        log("stopped");
    }

    private void printWelcome(long seconds) {
        System.out.println();
        System.out.println("Hemolink is up (" + seconds + " s). Logs: " + runDir);
        System.out.println("  Dashboard         http://localhost:8080/  (log in as dispatcher)");
        System.out.println("  API (gateway)     http://localhost:8080/api/v1  (Swagger UI: http://localhost:8080/q/swagger-ui)");
        System.out.println("  Keycloak          http://localhost:" + KEYCLOAK_PORT + "  (realm hemolink; admin/admin)");
        for (Service s : SERVICES) {
            for (int i = 1; i <= (s.name().equals("gateway") ? 1 : replicas); i++) {
                System.out.println(String.format("  %-17s http://localhost:%d/q/health  /q/openapi  /q/metrics",
                        instanceName(s, i), port(s, i)));
            }
        }
        System.out.println("  Demo logins (password = login): dispatcher, hospital-a, hospital-b, sp-operator, waiver-admin;");
        System.out.println("  service accounts his-h001 / his-h001-secret, his-h002 / his-h002-secret");
        System.out.println("  A token: curl -s -d grant_type=password -d client_id=hemolink-cli -d username=dispatcher"
                + " -d password=dispatcher http://localhost:" + KEYCLOAK_PORT + "/realms/hemolink/protocol/openid-connect/token");
        System.out.println();
    }

    private static void log(String message) {
        System.out.println("[hemolink] " + message);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
