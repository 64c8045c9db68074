package io.hemolink.infra;

import io.hemolink.contracts.isbt.Din;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Demo stock for a local run, released through the gateway with a real dispatcher token, exactly as the station
 * would: every component and every ABO/RhD group, at the station and the demo hospitals, with realistic bag sizes,
 * group frequencies (RhD-negative is rare in China, ≈ 0.3 %, so the demo keeps a few bags of each), and expiry
 * spread over each component's shelf life, some of it within 72 hours. Reproducible (fixed seed); a unit that
 * exists already is skipped, so loading twice changes nothing.
 */
public final class DemoData {

    /** Component code, shelf life in hours, whether it is in ml, bag sizes in its unit, bags per 100 units of demand. */
    private record Kind(String component, int shelfLifeHours, boolean ml, int[] sizes, int weight) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("RBC", 35 * 24, false, new int[] {2, 2, 2, 1}, 40),
            new Kind("RBC_LR", 35 * 24, false, new int[] {2, 2, 1}, 14),
            new Kind("RBC_W", 24, false, new int[] {2, 1}, 2),
            new Kind("WB", 35 * 24, false, new int[] {2, 1}, 2),
            new Kind("FFP", 365 * 24, true, new int[] {100, 150, 200}, 18),
            new Kind("FFP_VI", 365 * 24, true, new int[] {100, 150, 200}, 6),
            new Kind("FP", 4 * 365 * 24, true, new int[] {100, 200}, 4),
            new Kind("CRYO", 365 * 24, false, new int[] {1, 1, 2}, 8),
            new Kind("PLT_AP", 5 * 24, false, new int[] {1}, 5),
            new Kind("PLT_POOL", 5 * 24, false, new int[] {1}, 1));

    private static final String[] ABO = {"O", "A", "B", "AB"};
    private static final int[] ABO_PERCENT = {31, 28, 29, 12};
    private static final String[] LOCATIONS = {"STATION", "STATION", "STATION", "STATION", "H001", "H001", "H002", "H003",
        "SP01"};

    /** The demo region of api.md: id, kind, name, host hospital (storage points). */
    private static final String[][] REGION = {
        {"H001", "HOSPITAL", "市中心医院", null},
        {"H002", "HOSPITAL", "市第二医院", null},
        {"H003", "HOSPITAL", "县人民医院", null},
        {"SP01", "STORAGE_POINT", "县人民医院储血点", "H003"}};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String apiBase;
    private final String tokenUrl;

    public DemoData(String apiBase, String tokenUrl) {
        this.apiBase = apiBase;
        this.tokenUrl = tokenUrl;
    }

    /**
     * Registers the demo locations with the order service and releases the demo stock; returns how many units were
     * created (skipped ones not counted).
     */
    public int load(int bags) throws IOException, InterruptedException {
        String token = token("dispatcher", "dispatcher");
        registerLocations(token);
        Random random = new Random(20261122L);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        int created = 0;
        List<String> failures = new ArrayList<>();
        int seq = 0;
        for (Kind kind : KINDS) {
            int count = Math.max(8, bags * kind.weight() / 100);
            for (int i = 0; i < count; i++) {
                seq++;
                String abo = pickAbo(random);
                // every group appears: the first bags of each component go round the eight groups
                String rhd = i < 8 ? (i % 2 == 0 ? "POS" : "NEG") : (random.nextInt(100) < 3 ? "NEG" : "POS");
                if (i < 8) {
                    abo = ABO[i / 2];
                }
                int quantity = kind.sizes()[random.nextInt(kind.sizes().length)];
                int volumeMl = kind.ml() ? quantity : quantity * 200;
                // age between 2 % and 95 % of the shelf life, so expiry is spread and some is close
                long ageMinutes = (long) (kind.shelfLifeHours() * 60L * (0.02 + 0.93 * random.nextDouble()));
                Instant collected = now.minus(ageMinutes, ChronoUnit.MINUTES);
                String location = LOCATIONS[random.nextInt(LOCATIONS.length)];
                String din = din(seq);
                String body = String.format("{\"din\":\"%s\",\"component\":\"%s\",\"abo\":\"%s\",\"rhd\":\"%s\","
                                + "\"volumeMl\":%d,\"quantity\":%d,\"collectedAt\":\"%s\",\"locationId\":\"%s\"}",
                        din, kind.component(), abo, rhd, volumeMl, quantity, collected, location);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/units"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "demo-" + din + "-" + kind.component())
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    created++;
                } else if (r.statusCode() != 409) {
                    failures.add(r.statusCode() + " " + r.body());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " demo units were refused, first: " + failures.get(0));
        }
        setParLevels(token);
        return created;
    }

    /**
     * The demo hospitals' par levels (min and target per key), so the dashboard's par status and the suggested orders
     * have something to show; no automatic orders (the living demo orders by itself).
     */
    public void setParLevels(String token) throws IOException, InterruptedException {
        Map<String, String> levels = Map.of(
                "H001", level("RBC_LR", "O", "POS", 6, 12) + "," + level("RBC_LR", "A", "POS", 4, 10) + ","
                        + level("FFP", "O", "POS", 800, 2000) + "," + level("PLT_AP", "O", "POS", 1, 3),
                "H002", level("RBC_LR", "B", "POS", 4, 8) + "," + level("RBC_LR", "O", "NEG", 2, 4) + ","
                        + level("CRYO", "A", "POS", 2, 6));
        for (Map.Entry<String, String> e : levels.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/locations/" + e.getKey()
                            + "/par-levels")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"levels\":[" + e.getValue() + "],\"autoOrder\":false}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("par levels of " + e.getKey() + " refused: " + r.statusCode() + " " + r.body());
            }
        }
    }

    private static String level(String component, String abo, String rhd, int min, int target) {
        return String.format("{\"component\":\"%s\",\"abo\":\"%s\",\"rhd\":\"%s\",\"min\":%d,\"target\":%d}",
                component, abo, rhd, min, target);
    }

    /** Registers (or updates) the demo hospitals and storage point, so that they may order. */
    public void registerLocations(String token) throws IOException, InterruptedException {
        for (String[] l : REGION) {
            String body = String.format("{\"name\":\"%s\",\"kind\":\"%s\"%s}", l[2], l[1],
                    l[3] == null ? "" : ",\"hostHospitalId\":\"" + l[3] + "\"");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/locations/" + l[0]))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .timeout(Duration.ofSeconds(10))
                    .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw new IllegalStateException("location " + l[0] + " was refused: " + r.statusCode() + " " + r.body());
            }
        }
    }

    /**
     * Evaluates the supply levels now ({@code POST /alerts/evaluation}, station dispatch), as dispatch would after a
     * large release; returns how many alerts were raised or cleared.
     */
    public int evaluateAlerts(String token) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/alerts/evaluation"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the evaluation was refused: " + r.statusCode() + " " + r.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("items").size();
    }

    /**
     * How many of the balance board's component x group cells show days of supply ({@code GET /stock/balance}: a
     * row with {@code daysOfSupply}), and how many cells the board has (components x the eight groups).
     */
    public int[] cellsWithDaysOfSupply(String token) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiBase + "/stock/balance"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the balance board was refused: " + r.statusCode());
        }
        int shown = 0;
        for (com.fasterxml.jackson.databind.JsonNode row
                : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("rows")) {
            if (row.hasNonNull("daysOfSupply")) {
                shown++;
            }
        }
        return new int[] {shown, KINDS.size() * 8};
    }

    /** A password-grant token from the local realm (client hemolink-cli). */
    public String token(String user, String password) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=hemolink-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("no token for " + user + ": " + r.statusCode());
        }
        return m.group(1);
    }

    /** An ABO group by its frequency in the region (O 31 %, A 28 %, B 29 %, AB 12 %). */
    static String pickAbo(Random random) {
        int p = random.nextInt(100);
        for (int i = 0; i < ABO.length; i++) {
            p -= ABO_PERCENT[i];
            if (p < 0) {
                return ABO[i];
            }
        }
        return "O";
    }

    /** Demo DINs: facility W1234 (a made-up code), year 26, the sequence, and the check character. */
    static String din(int seq) {
        String data = "W123426" + String.format("%06d", seq);
        return data + Din.checkCharacter(data);
    }
}
