package io.hemolink.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One PostgreSQL server and one Kafka broker per test JVM, started on first use on free ports and stopped when the
 * JVM exits. Test resources of every service share it, so a module's tests pay the start-up once.
 */
public final class TestInfrastructure {

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static Path workDir;

    private TestInfrastructure() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            try {
                postgres = PostgresServer.start(0, null);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }, "stop-postgres"));
        }
        return postgres;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            try {
                Path dir = workDir().resolve("kafka");
                kafka = new KafkaBroker(0, 0, dir, workDir().resolve("kafka.log"), "-Xmx256m");
                kafka.start(Duration.ofSeconds(90));
            } catch (IOException e) {
                throw new UncheckedIOException("could not start Kafka", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-kafka"));
        }
        return kafka;
    }

    /** Where test infrastructure keeps its files: {@code target/test-infra} of the module under test. */
    public static synchronized Path workDir() {
        if (workDir == null) {
            try {
                workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "test-infra-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return workDir;
    }
}
