package io.hemolink.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server from the binaries zonky ships in Maven artifacts. Each service gets a database of its
 * own on it ({@link #createDatabase}). With a data directory the data survives restarts; without one it is thrown
 * away on close (tests).
 */
public final class PostgresServer implements AutoCloseable {

    private static final Pattern DB_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param port    the port to listen on (0 for a free one)
     * @param dataDir where the cluster lives between runs, or null for a throw-away cluster
     */
    public static PostgresServer start(int port, Path dataDir) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port == 0 ? ChildProcesses.freePort() : port)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", dataDir == null ? "off" : "on")
                .setServerConfig("synchronous_commit", dataDir == null ? "off" : "on")
                .setServerConfig("full_page_writes", dataDir == null ? "off" : "on");
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        return new PostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** Creates the database unless it exists already. */
    public void createDatabase(String name) {
        createDatabase(port(), name);
    }

    /** Creates the database on the server at {@code port} (user {@value #USER}) unless it exists already. */
    public static void createDatabase(int port, String name) {
        if (!DB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name: " + name);
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", USER, "");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
