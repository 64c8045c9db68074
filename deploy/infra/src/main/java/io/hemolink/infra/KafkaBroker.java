package io.hemolink.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A real Apache Kafka broker in KRaft mode (broker and controller in one node), run as a child JVM from the
 * kafka_2.13 jars of Maven Central. The jars' classpath is written by the build into {@code kafka.classpath}.
 * The broker can be stopped and started again on the same data (fault tests, local restarts).
 */
public final class KafkaBroker implements AutoCloseable {

    private volatile int port;
    private volatile int controllerPort;
    /** Ports picked here (asked for 0) may be taken before the broker binds them: then a start tries new ones. */
    private final boolean portsChosen;
    private final Path dataDir;
    private final Path logFile;
    private final String heap;
    private Process process;

    public KafkaBroker(int port, Path dataDir, Path logFile) {
        this(port, 0, dataDir, logFile, "-Xmx384m");
    }

    public KafkaBroker(int port, int controllerPort, Path dataDir, Path logFile, String heap) {
        this.portsChosen = port == 0 || controllerPort == 0;
        this.port = port == 0 ? ChildProcesses.freePort() : port;
        this.controllerPort = controllerPort == 0 ? ChildProcesses.freePort() : controllerPort;
        this.dataDir = dataDir.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
        this.heap = heap;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Formats the storage on first use, starts the broker and waits until it accepts connections. */
    public synchronized KafkaBroker start(Duration timeout) throws IOException {
        if (process != null && process.isAlive()) {
            return this;
        }
        Files.createDirectories(dataDir);
        Path config = writeConfig();
        Path logs = dataDir.resolve("logs");
        if (!Files.exists(logs.resolve("meta.properties"))) {
            Process format = ChildProcesses.start(javaCommand("kafka.tools.StorageTool", "format",
                    "--cluster-id=" + clusterId(), "--config=" + config, "--ignore-formatted"), dataDir, logFile);
            try {
                int code = format.waitFor();
                if (code != 0) {
                    throw new IllegalStateException("formatting Kafka storage failed (" + code + "); see " + logFile);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while formatting Kafka storage", e);
            }
        }
        for (int attempt = 1; ; attempt++) {
            long started = ChildProcesses.sizeOf(logFile);
            process = ChildProcesses.start(javaCommand("kafka.Kafka", config.toString()), dataDir, logFile);
            try {
                ChildProcesses.await("Kafka broker", process, timeout,
                        () -> ChildProcesses.portOpen(port) && logSince(started).contains("Kafka Server started"), logFile);
                return this;
            } catch (IllegalStateException e) {
                if (!portsChosen || attempt == 3 || !ChildProcesses.addressInUse(logFile, started)) {
                    throw e;
                }
                stop();
                port = ChildProcesses.freePort();
                controllerPort = ChildProcesses.freePort();
                config = writeConfig();
            }
        }
    }

    /** Stops the broker (the data stays); {@link #start} brings it back. */
    public synchronized void stop() {
        ChildProcesses.stopTree(process, Duration.ofSeconds(20));
        process = null;
    }

    /** Kills the broker at once (SIGKILL, as a crash would); the data stays, and {@link #start} recovers it. */
    public synchronized void kill() {
        if (process != null) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id, for launchers that record what they started. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void close() {
        stop();
    }

    private String logSince(long offset) {
        try (InputStream in = Files.newInputStream(logFile)) {
            in.skipNBytes(Math.min(offset, Files.size(logFile)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private List<String> javaCommand(String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcesses.javaExecutable());
        cmd.add(heap);
        cmd.add("-Xss1m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1"); // C1 only, as the services (ADR 0027)
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlog4j2.configurationFile=" + log4jConfig());
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Path writeConfig() throws IOException {
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("logs"),
                "num.partitions=3",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "log.retention.hours=168",
                "log.segment.bytes=16777216",
                "log.cleaner.dedupe.buffer.size=8388608",
                "num.network.threads=2",
                "num.io.threads=2",
                "");
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, props);
        return file;
    }

    private Path log4jConfig() throws IOException {
        Path file = dataDir.resolve("log4j2.properties");
        Files.writeString(file, String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = %d{ISO8601} %p [%c{1}] %m%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = out",
                "logger.kafka.name = kafka",
                "logger.kafka.level = INFO",
                "logger.apache.name = org.apache.kafka",
                "logger.apache.level = WARN",
                ""));
        return file;
    }

    private String clusterId() throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        // Kafka's cluster ids are 16 random bytes in URL-safe Base64; like Kafka, avoid a leading '-'
        SecureRandom random = new SecureRandom();
        String id;
        do {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        Files.writeString(file, id);
        return id;
    }

    private static String classpath() {
        return resource("kafka.classpath") + java.io.File.pathSeparator + resource("shared.classpath");
    }

    private static String resource(String name) {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing: build deploy/infra with Maven first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
