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

    private final int port;
    private final Path dataDir;
    private volatile EmbeddedPostgres postgres;

    private PostgresServer(int port, Path dataDir) throws IOException {
        this.port = port;
        this.dataDir = dataDir;
        this.postgres = builder(port, dataDir).start();
    }

    /**
     * @param port    the port to listen on (0 for a free one)
     * @param dataDir where the cluster lives between runs, or null for a throw-away cluster
     */
    public static PostgresServer start(int port, Path dataDir) throws IOException {
        return new PostgresServer(port == 0 ? ChildProcesses.freePort() : port, dataDir);
    }

    private static EmbeddedPostgres.Builder builder(int port, Path dataDir) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", dataDir == null ? "off" : "on")
                .setServerConfig("synchronous_commit", dataDir == null ? "off" : "on")
                .setServerConfig("full_page_writes", dataDir == null ? "off" : "on");
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        return builder;
    }

    public int port() {
        return port;
    }

    /**
     * Kills the server at once: SIGKILL to the postmaster and every backend, as a crash of the machine's database
     * would (no shutdown checkpoint; the next start recovers from the write-ahead log). Only with a data directory.
     */
    public synchronized void kill() throws IOException {
        if (dataDir == null) {
            throw new IllegalStateException("a throw-away cluster cannot be restarted");
        }
        // the first line of postmaster.pid is the postmaster's pid (pg_ctl started it detached: not our child)
        long pid = Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL (pid " + pid + ") is not running"));
        ChildProcesses.killTree(postmaster, "PostgreSQL");
        // lets go of zonky's lock on the data folder; its pg_ctl stop finds no server and only logs that
        EmbeddedPostgres dead = postgres;
        postgres = null;
        dead.close();
    }

    /** Starts the server again on the same port and data (after {@link #kill}); returns once it accepts connections. */
    public synchronized void restart() throws IOException {
        if (postgres != null) {
            return;
        }
        postgres = builder(port, dataDir).start();
    }

    /**
     * Cuts every connection to the databases and refuses new ones ({@code ALLOW_CONNECTIONS false} and
     * {@code pg_terminate_backend}), as a network cut between the services and their database would;
     * {@link #allowConnections} ends it.
     */
    public void refuseConnections(java.util.Collection<String> databases) {
        for (String db : databases) {
            requireName(db);
            admin("alter database " + db + " allow_connections false");
            admin("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db + "'");
        }
    }

    public void allowConnections(java.util.Collection<String> databases) {
        for (String db : databases) {
            requireName(db);
            admin("alter database " + db + " allow_connections true");
        }
    }

    private void admin(String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    private static void requireName(String name) {
        if (!DB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name: " + name);
        }
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
    public synchronized void close() throws IOException {
        EmbeddedPostgres p = postgres;
        postgres = null;
        if (p != null) {
            p.close();
        }
    }
}
