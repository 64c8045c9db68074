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
                throw new IllegalStateException(what + " exited with code " + process.exitValue() + "; see " + logFile);
            }
            sleep(100);
        }
        throw new IllegalStateException(what + " was not ready within " + timeout.toSeconds() + " s; see " + logFile);
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

    /** A free TCP port on the loopback interface. */
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
