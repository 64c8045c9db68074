package io.hemolink.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's service JVMs as the kernel sees them (Linux /proc): CPU time used (user + system) and resident
 * memory, per service, and the start-up time each logged; for the JVM settings' figures (ADR 0027).
 */
final class Processes {

    static final List<String> SERVICES = List.of("inventory", "order", "storage-point", "fee-waiver", "notification", "gateway");
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private Processes() {
    }

    /** The pid of each service started from {@code root} (its quarkus-run.jar on the command line), and of its Kafka broker. */
    static Map<String, Long> pids(Path root) {
        Map<String, Long> pids = new LinkedHashMap<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String cmd = cmdline(p.pid());
            if (cmd.contains("kafka.Kafka") && cmd.contains(root.resolve(".hemolink").toString())) {
                pids.put("kafka", p.pid());
            }
            for (String s : SERVICES) {
                String module = s.equals("gateway") ? "gateway" : "services/" + s;
                if (cmd.contains(root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar").toString())) {
                    // with up.sh --replicas, the second instance of a service is "<service>-2", and so on
                    String name = s;
                    for (int i = 2; pids.containsKey(name); i++) {
                        name = s + "-" + i;
                    }
                    pids.put(name, p.pid());
                }
            }
        });
        return pids;
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The JVM flags a process runs with (what stands between "java" and "-jar" or "-cp"). */
    static String flags(long pid) {
        String cmd = cmdline(pid);
        int jar = cmd.indexOf(" -jar ") >= 0 ? cmd.indexOf(" -jar ") : cmd.indexOf(" -cp ");
        int first = cmd.indexOf(' ');
        return jar > first && first >= 0 ? cmd.substring(first + 1, jar) : "";
    }

    /** CPU time used so far by the process, user + system, in milliseconds. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the name: state(0) ppid(1) ... utime(11) stime(12)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory in MiB. */
    static long rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    /** The start-up time the service logged (Quarkus' "started in X s"), in the newest run folder. */
    static Optional<Double> startupSeconds(Path root, String service) {
        Path runs = root.resolve(".hemolink/runs");
        try (var dirs = Files.list(runs)) {
            Optional<Path> newest = dirs.filter(Files::isDirectory).max(Path::compareTo);
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            Path log = newest.get().resolve(service + ".log");
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            Double last = null;
            for (String line : Files.readAllLines(log)) {
                Matcher m = STARTED.matcher(line);
                if (m.find()) {
                    last = Double.parseDouble(m.group(1));
                }
            }
            return Optional.ofNullable(last);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
