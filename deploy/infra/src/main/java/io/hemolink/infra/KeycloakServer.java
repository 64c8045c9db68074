package io.hemolink.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak from {@code org.keycloak:keycloak-quarkus-dist} (the zip Maven resolved; its path comes from
 * {@code infra.properties}): unpacked once, started with {@code kc.sh start-dev} as a child process with its
 * file database in the data folder (users and sessions survive restarts), and the hemolink realm imported on the
 * first start (a realm that exists already is left as it is: delete the data folder to import a changed realm file).
 * For local runs and the end-to-end suite only.
 *
 * <pre>{@code
 * try (KeycloakServer kc = KeycloakServer.builder().port(0).dataDir(dir)
 *         .realmFile(Path.of("deploy/local/keycloak/hemolink-realm.json")).logFile(dir.resolve("keycloak.log"))
 *         .build().start()) {
 *     String issuer = kc.issuerUrl();
 * }
 * }</pre>
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "hemolink";
    public static final int DEFAULT_PORT = 8180;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    /** How long {@link #stop()} waits for a polite shutdown before it kills. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final String MARKER = ".unpacked";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;
    private final Path installDir;
    private final Path dataDir;
    private final Path realmFile;
    private final Path logFile;
    private final Duration startTimeout;
    private volatile int managementPort = -1;
    private volatile Process process;
    private volatile Thread shutdownHook;

    /** Keycloak on {@link #DEFAULT_PORT}, unpacked into and storing its data in {@code dataDir}. */
    public KeycloakServer(Path dataDir, Path realmFile, Path logFile) {
        this(DEFAULT_PORT, dataDir, realmFile, logFile);
    }

    /** @param port the HTTP port; 0 picks a free one */
    public KeycloakServer(int port, Path dataDir, Path realmFile, Path logFile) {
        this(port, dataDir, dataDir, realmFile, logFile);
    }

    /**
     * @param port       the HTTP port; 0 picks a free one
     * @param installDir where the distribution is unpacked (as {@code keycloak-<version>/}; kept across
     *                   {@code --fresh} starts, may be shared by servers that do not run at the same time)
     * @param dataDir    where Keycloak's own database lives ({@code <dataDir>/db})
     */
    public KeycloakServer(int port, Path installDir, Path dataDir, Path realmFile, Path logFile) {
        this(port, installDir, dataDir, realmFile, logFile, DEFAULT_START_TIMEOUT);
    }

    private KeycloakServer(int port, Path installDir, Path dataDir, Path realmFile, Path logFile, Duration startTimeout) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        this.port = port == 0 ? ChildProcesses.freePort() : port;
        this.installDir = installDir.toAbsolutePath().normalize();
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.realmFile = realmFile.toAbsolutePath().normalize();
        this.logFile = logFile.toAbsolutePath().normalize();
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** The port of the management interface ({@code /health/ready}); known once {@link #start} ran. */
    public int managementPort() {
        return managementPort;
    }

    /** {@code http://localhost:<port>} */
    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** The issuer of the hemolink realm's tokens: {@code http://localhost:<port>/realms/hemolink}. */
    public String issuerUrl() {
        return baseUrl() + "/realms/" + REALM;
    }

    public String tokenUrl() {
        return issuerUrl() + "/protocol/openid-connect/token";
    }

    public String discoveryUrl() {
        return issuerUrl() + "/.well-known/openid-configuration";
    }

    /** Keycloak's readiness probe on the management interface. */
    public String healthUrl() {
        return "http://localhost:" + managementPort + "/health/ready";
    }

    /** Where the distribution is (or will be) unpacked: {@code <installDir>/keycloak-<version>}. */
    public Path home() {
        return installDir.resolve("keycloak-" + distribution().version());
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The pid of the {@code kc.sh} process (its child is the Keycloak JVM), or -1. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Starts Keycloak and waits (up to the configured timeout, 120 s unless set) until the realm answers. */
    public KeycloakServer start() throws IOException {
        return start(startTimeout);
    }

    /**
     * Starts Keycloak and waits until the realm's OIDC discovery answers 200. On a timeout or an early exit the
     * process is stopped and an {@link IllegalStateException} names the log file and shows its last lines.
     */
    public synchronized KeycloakServer start(Duration timeout) throws IOException {
        if (isRunning()) {
            return this;
        }
        if (ChildProcesses.portOpen(port)) {
            throw new IllegalStateException("port " + port + " is in use already (another Keycloak still running?);"
                    + " Keycloak would not bind it, and the realm check could answer from the other server");
        }
        if (!Files.isRegularFile(realmFile)) {
            throw new IllegalStateException("realm file " + realmFile + " is missing");
        }
        Path home = unpack(installDir);
        // kc.sh --import-realm reads <home>/data/import; a realm that exists already is left as it is
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        Files.copy(realmFile, importDir.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(dataDir);
        Files.createDirectories(logFile.getParent());
        managementPort = ChildProcesses.freePort();

        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port,
                "--http-host=127.0.0.1",
                // a fixed issuer, also for tokens fetched through 127.0.0.1 (the services check 'iss')
                "--hostname=" + baseUrl(),
                "--http-management-port=" + managementPort,
                "--import-realm",
                "--db=dev-file",
                "--db-url-path=" + dataDir.resolve("db"),
                "--health-enabled=true",
                "--cache=local",
                "--features-disabled=kerberos,device-flow,ciba,par",
                "--log-level=info"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = pb.environment();
        // the caller's Keycloak or JVM settings (KC_DB=postgres, a JAVA_OPTS without the add-opens...) do not leak in
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_") || k.startsWith("JAVA_OPTS")
                || k.equals("JAVA_ADD_OPENS") || k.equals("JAVA") || k.equals("DEBUG") || k.equals("DEBUG_PORT"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");

        Process started = pb.start();
        process = started;
        registerShutdownHook();
        try {
            awaitRealm(started, timeout);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        return this;
    }

    /** Stops Keycloak (descendants, then kc.sh; forcibly after 10 s); safe to call while {@link #start} waits. */
    public void stop() {
        Process p = process;
        process = null;
        unregisterShutdownHook();
        if (p != null) {
            stopTree(p.toHandle(), STOP_GRACE);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitRealm(Process started, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(discoveryUrl())).timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!started.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + started.exitValue() + "; see "
                        + logFile + tail());
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Keycloak's realm " + REALM + " did not answer within "
                        + timeout.toSeconds() + " s; see " + logFile + tail());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
        }
    }

    private String tail() {
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            List<String> all = lines.toList();
            return ":\n  " + String.join("\n  ", all.subList(Math.max(0, all.size() - 15), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Descendants first (the Keycloak JVM under kc.sh), then the process; kill whatever lives after {@code grace}. */
    static void stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.forEach(ProcessHandle::destroy);
        root.destroy();
        all.add(root);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception timeoutOrInterrupt) {
                break;
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more can be done from here
            }
        }
    }

    private void registerShutdownHook() {
        Thread hook = new Thread(() -> {
            Process p = process;
            if (p != null) {
                stopTree(p.toHandle(), STOP_GRACE);
            }
        }, "keycloak-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting already
        }
    }

    private void unregisterShutdownHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran
            }
        }
    }

    /** The distribution the build resolved: version and the zip in the local Maven repository. */
    record Distribution(String version, Path zip) {
    }

    static Distribution distribution() {
        Properties props = new Properties();
        try (InputStream in = KeycloakServer.class.getResourceAsStream("infra.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/hemolink/infra/infra.properties is missing: build deploy/infra with Maven first");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = props.getProperty("keycloak.version");
        String zip = props.getProperty("keycloak.zip");
        if (version == null || zip == null || version.contains("${") || zip.contains("${")) {
            throw new IllegalStateException("infra.properties lacks keycloak.version/keycloak.zip (was it filtered by Maven?)");
        }
        return new Distribution(version, Path.of(zip));
    }

    /**
     * Unpacks the distribution into {@code <installDir>/keycloak-<version>} unless it is there; returns that home.
     * Unpacks into a temporary sibling first and renames it, so an interrupted unpack never looks complete and two
     * JVMs unpacking at once do not mix their files.
     */
    public static Path unpack(Path installDir) throws IOException {
        Distribution dist = distribution();
        Path home = installDir.toAbsolutePath().normalize().resolve("keycloak-" + dist.version());
        if (Files.exists(home.resolve(MARKER))) {
            return home;
        }
        if (!Files.isRegularFile(dist.zip())) {
            throw new IllegalStateException(dist.zip() + " is missing: build deploy/infra with Maven (it resolves the Keycloak distribution)");
        }
        Files.createDirectories(home.getParent());
        if (Files.exists(home)) {
            deleteTree(home); // a leftover without the marker: an unpack that did not finish
        }
        Path tmp = Files.createTempDirectory(home.getParent(), ".keycloak-unpack-");
        try {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(dist.zip()))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    // entries are "keycloak-<version>/..."; strip the first segment
                    String name = e.getName();
                    int slash = name.indexOf('/');
                    if (slash < 0 || slash == name.length() - 1) {
                        continue;
                    }
                    Path target = tmp.resolve(name.substring(slash + 1)).normalize();
                    if (!target.startsWith(tmp)) {
                        throw new IOException("zip entry outside the target folder: " + name);
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            // java.util.zip does not carry Unix modes
            try (Stream<Path> scripts = Files.list(tmp.resolve("bin"))) {
                scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
            }
            Files.writeString(tmp.resolve(MARKER), dist.version());
            try {
                Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherJvmWasFaster) {
                deleteTree(tmp);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw new IOException("could not unpack " + dist.zip() + " into " + home, e);
        }
        return home;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Builds a {@link KeycloakServer}; data dir, realm file and log file are required. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private Path installDir;
        private Path dataDir;
        private Path realmFile;
        private Path logFile;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /** The HTTP port (default 8180); 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where Keycloak keeps its database, and unpacks the distribution unless {@link #installDir} is set. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Where the distribution is unpacked (default: the data dir). */
        public Builder installDir(Path installDir) {
            this.installDir = installDir;
            return this;
        }

        public Builder realmFile(Path realmFile) {
            this.realmFile = realmFile;
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** How long {@link KeycloakServer#start()} waits for the realm (default 120 s). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public KeycloakServer build() {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(realmFile, "realmFile");
            Objects.requireNonNull(logFile, "logFile");
            return new KeycloakServer(port, installDir == null ? dataDir : installDir, dataDir, realmFile, logFile,
                    startTimeout);
        }
    }
}
