package io.hemolink.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One PostgreSQL server and one Kafka broker per test JVM, started on first use on free ports and stopped when the
 * JVM exits. Quarkus loads test resources in a fresh class loader whenever the application restarts, so what was
 * started is recorded in JVM-wide system properties (not in static fields) and reused by every later class loader.
 */
public final class TestInfrastructure {

    private static final String PG_PORT = "hemolink.test.postgres.port";
    private static final String KAFKA = "hemolink.test.kafka.bootstrap";

    private TestInfrastructure() {
    }

    /** The port of the test PostgreSQL server (user {@value PostgresServer#USER}, trust authentication). */
    public static int postgresPort() {
        synchronized (System.getProperties()) {
            String port = System.getProperty(PG_PORT);
            if (port == null) {
                try {
                    PostgresServer pg = PostgresServer.start(0, null);
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (IOException ignored) {
                            // the JVM is going away
                        }
                    }, "stop-postgres"));
                    port = String.valueOf(pg.port());
                    System.setProperty(PG_PORT, port);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start PostgreSQL", e);
                }
            }
            return Integer.parseInt(port);
        }
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgresPort() + "/" + database;
    }

    /** Creates the database on the test server unless it exists. */
    public static void createDatabase(String name) {
        PostgresServer.createDatabase(postgresPort(), name);
    }

    /** The bootstrap servers of the test broker. */
    public static String kafkaBootstrapServers() {
        synchronized (System.getProperties()) {
            String bootstrap = System.getProperty(KAFKA);
            if (bootstrap == null) {
                try {
                    Path dir = workDir();
                    KafkaBroker kafka = new KafkaBroker(0, 0, dir.resolve("kafka"), dir.resolve("kafka.log"), "-Xmx256m");
                    kafka.start(Duration.ofSeconds(90));
                    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-kafka"));
                    bootstrap = kafka.bootstrapServers();
                    System.setProperty(KAFKA, bootstrap);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start Kafka", e);
                }
            }
            return bootstrap;
        }
    }

    /** A fresh folder for test infrastructure files under the module's {@code target/}. */
    private static Path workDir() throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "test-infra-");
    }
}
