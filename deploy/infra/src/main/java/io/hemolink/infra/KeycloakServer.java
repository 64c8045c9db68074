package io.hemolink.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak from {@code org.keycloak:keycloak-quarkus-dist}: unpacked once into the data folder, started in
 * dev mode with its file database there (so users and sessions survive restarts) and the hemolink realm imported
 * (an existing realm is left as it is). For local runs and the end-to-end suite only.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "hemolink";

    private volatile int port;
    private volatile int managementPort;
    /** Ports picked here (asked for 0) may be taken before Keycloak binds them: then a start tries new ones. */
    private final boolean portsChosen;
    private final Path installDir;
    private final Path dataDir;
    private final Path realmFile;
    private final Path logFile;
    private volatile Process process;

    /** A Keycloak on free ports of its own choosing (tests): {@code port} 0 picks both HTTP and management ports. */
    public KeycloakServer(int port, Path dataDir, Path realmFile, Path logFile) {
        this(port, 0, dataDir, dataDir, realmFile, logFile);
    }

    /**
     * @param installDir where the distribution is unpacked (kept across {@code --fresh} starts)
     * @param dataDir    where Keycloak's own database lives
     * @param managementPort the management interface's port (health); 0 picks a free one, as {@code port} 0 does
     */
    public KeycloakServer(int port, int managementPort, Path installDir, Path dataDir, Path realmFile, Path logFile) {
        this.portsChosen = port == 0 || managementPort == 0;
        this.port = port == 0 ? ChildProcesses.freePort() : port;
        this.managementPort = managementPort == 0 ? ChildProcesses.freePort() : managementPort;
        this.installDir = installDir.toAbsolutePath();
        this.dataDir = dataDir.toAbsolutePath();
        this.realmFile = realmFile.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    /** The issuer of the hemolink realm's tokens. */
    public String issuerUrl() {
        return "http://localhost:" + port + "/realms/" + REALM;
    }

    public String tokenUrl() {
        return issuerUrl() + "/protocol/openid-connect/token";
    }

    /**
     * Starts Keycloak and waits (up to {@code timeout}) until the realm answers. When its ports were picked here and
     * one was taken before Keycloak bound it, it starts again on new ones (up to three times).
     */
    public synchronized KeycloakServer start(Duration timeout) throws IOException {
        if (process != null && process.isAlive()) {
            return this;
        }
        for (int attempt = 1; ; attempt++) {
            long logStart = ChildProcesses.sizeOf(logFile);
            try {
                return startOnce(timeout);
            } catch (IllegalStateException e) {
                if (!portsChosen || attempt == 3 || !ChildProcesses.addressInUse(logFile, logStart)) {
                    throw e;
                }
                stop();
                port = ChildProcesses.freePort();
                managementPort = ChildProcesses.freePort();
            }
        }
    }

    private KeycloakServer startOnce(Duration timeout) throws IOException {
        Path home = unpack();
        // kc.sh --import-realm reads <home>/data/import; a realm that exists already is left as it is
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        Files.copy(realmFile, importDir.resolve("hemolink-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port,
                // a fixed hostname keeps the tokens' issuer the same however Keycloak is reached (localhost, 127.0.0.1)
                "--hostname=http://localhost:" + port,
                "--http-management-port=" + managementPort,
                "--import-realm",
                "--db=dev-file",
                "--db-url-path=" + dataDir.resolve("db"),
                "--health-enabled=true",
                "--cache=local",
                "--features-disabled=" + String.join(",", List.of("kerberos", "device-flow", "ciba", "par")),
                "--log-level=info"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = pb.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Files.createDirectories(logFile.getParent());
        Process started = pb.start();
        process = started;
        String discovery = issuerUrl() + "/.well-known/openid-configuration";
        ChildProcesses.await("Keycloak", started, timeout, () -> ChildProcesses.answers200(discovery), logFile);
        return this;
    }

    public KeycloakServer start() throws IOException {
        return start(Duration.ofSeconds(180));
    }

    /** Stops Keycloak; safe to call while {@link #start} is still waiting for it. */
    public void stop() {
        Process p = process;
        process = null;
        ChildProcesses.stopTree(p, Duration.ofSeconds(20));
    }

    /** Kills Keycloak at once (SIGKILL, as a crash would); its data stays, and {@link #start} brings it back. */
    public void kill() {
        Process p = process;
        process = null;
        if (p != null) {
            ChildProcesses.killTree(p.toHandle(), "Keycloak");
        }
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public void close() {
        stop();
    }

    /** Unpacks the distribution once into the data folder; returns its home. */
    private Path unpack() throws IOException {
        Properties props = new Properties();
        try (InputStream in = KeycloakServer.class.getResourceAsStream("infra.properties")) {
            if (in == null) {
                throw new IllegalStateException("infra.properties is missing: build deploy/infra with Maven first");
            }
            props.load(in);
        }
        String version = props.getProperty("keycloak.version");
        Path zip = Path.of(props.getProperty("keycloak.zip"));
        Path home = installDir.resolve("keycloak-" + version);
        Path marker = home.resolve(".unpacked");
        if (Files.exists(marker)) {
            return home;
        }
        if (!Files.exists(zip)) {
            throw new IllegalStateException(zip + " is missing: build deploy/infra with Maven (it resolves the Keycloak distribution)");
        }
        Files.createDirectories(installDir);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                // entries are "keycloak-<version>/..."; strip the first segment
                String name = e.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path target = home.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("zip entry outside the target folder: " + name);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + zip, e);
        }
        for (String script : List.of("bin/kc.sh", "bin/kcadm.sh", "bin/kcreg.sh")) {
            Path p = home.resolve(script);
            if (Files.exists(p)) {
                p.toFile().setExecutable(true);
            }
        }
        Files.writeString(marker, version);
        return home;
    }
}
