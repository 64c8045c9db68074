package io.hemolink.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers for the child processes the launcher owns: start with a log file, wait, stop the whole tree. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** The java executable of the running JVM, so children run on the same JDK. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static Process start(List<String> command, Path workDir, Path logFile) throws IOException {
        java.nio.file.Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        return pb.start();
    }

    /** Stops a process and all its descendants: politely first, forcibly after {@code grace}. */
    public static void stopTree(Process process, Duration grace) {
        if (process == null) {
            return;
        }
        stopTree(process.toHandle(), grace);
    }

    public static void stopTree(ProcessHandle handle, Duration grace) {
        List<ProcessHandle> descendants = handle.descendants().toList();
        handle.destroy();
        descendants.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : concat(handle, descendants)) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
            } catch (Exception timeoutOrInterrupt) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : concat(handle, descendants)) {
            if (h.isAlive()) {
                h.destroyForcibly();
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // nothing more can be done from here
                }
            }
        }
    }

    /** Kills a process and all its descendants at once (SIGKILL, as a crash would) and waits until all are gone. */
    public static void killTree(ProcessHandle handle, String what) {
        List<ProcessHandle> all = concat(handle, handle.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(what + " (pid " + h.pid() + ") did not die: " + e.getMessage(), e);
            }
        }
    }

    private static List<ProcessHandle> concat(ProcessHandle first, List<ProcessHandle> rest) {
        java.util.ArrayList<ProcessHandle> all = new java.util.ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Polls {@code condition} until it is true; fails if the process dies or the timeout passes. */
    public static void await(String what, Process process, Duration timeout, BooleanSupplier condition, Path logFile) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(what + " exited with code " + process.exitValue() + " while starting; see "
                        + logFile + tail(logFile));
            }
            sleep(100);
        }
        throw new IllegalStateException(what + " was not ready within " + timeout.toSeconds() + " s; see " + logFile
                + tail(logFile));
    }

    /** The last lines of a child's log, to quote in a failure (a child that dies at start says why there). */
    static String tail(Path logFile) {
        List<String> lines = lastLines(logFile, TAIL_LINES);
        return lines.isEmpty() ? "" : "; its last log lines:\n    " + String.join("\n    ", lines);
    }

    private static final int TAIL_LINES = 15;

    /** Up to {@code n} last lines of a text file (empty if it cannot be read). */
    public static List<String> lastLines(Path file, int n) {
        if (file == null || !java.nio.file.Files.isRegularFile(file)) {
            return List.of();
        }
        try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(0, length - 64 * 1024); // enough for the tail; a long log is not read whole
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            List<String> lines = List.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\r?\n"));
            List<String> nonEmpty = lines.stream().filter(l -> !l.isBlank()).toList();
            return nonEmpty.subList(Math.max(0, nonEmpty.size() - n), nonEmpty.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** True when a log, from byte {@code offset} on (this start's part), says a listener could not bind its port. */
    static boolean addressInUse(Path logFile, long offset) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(logFile)) {
            in.skipNBytes(Math.min(offset, java.nio.file.Files.size(logFile)));
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("Address already in use");
        } catch (IOException e) {
            return false;
        }
    }

    /** The size of a log file now (0 if none), to read later only what a new start wrote. */
    static long sizeOf(Path logFile) {
        try {
            return java.nio.file.Files.exists(logFile) ? java.nio.file.Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * True when nothing listens on {@code port} of any local address: it can be bound on the wildcard address (which
     * fails while anything is bound to the port on any interface) and nothing answers on the loopback.
     */
    public static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // a port left in TIME_WAIT by a stopped child is free for the next one
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            return false;
        }
        return !portOpen(port);
    }

    /**
     * Fails, naming the port and its component, if any of {@code ports} (port to what needs it) is taken, after
     * waiting up to {@code grace} for ports that a process stopped just before may still hold.
     */
    public static void requirePortsFree(java.util.Map<Integer, String> ports, Duration grace, String hint) {
        long deadline = System.nanoTime() + grace.toNanos();
        java.util.List<String> taken;
        do {
            taken = ports.entrySet().stream().filter(e -> !portFree(e.getKey()))
                    .map(e -> "port " + e.getKey() + " (" + e.getValue() + ")").toList();
            if (taken.isEmpty()) {
                return;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException(String.join(", ", taken) + (taken.size() == 1 ? " is" : " are")
                + " in use: " + hint);
    }

    public static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1)).build();

    /** True when a GET of {@code url} answers 200 (a readiness probe); false while it cannot connect. */
    public static boolean answers200(String url) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(2))
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A TCP port free at this moment. Nothing holds it for the caller: a child told to bind it later may find it
     * taken (another process may be handed it meanwhile), so launchers that use it must retry with a new one; the
     * platform's own ports are fixed instead (ADR 0018).
     */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
