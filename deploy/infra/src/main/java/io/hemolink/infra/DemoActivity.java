package io.hemolink.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.contracts.person.IdNumbers;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The living demo: the region's everyday work, done through the gateway with the demo realm's real logins at a
 * configurable pace, so the dashboard moves. Each step is one of: the station releases a bag; a hospital orders; the
 * dispatcher dispatches the oldest allocated order; a hospital receives what was dispatched to it; a hospital reports
 * a transfusion of a bag it holds; the storage point's sensors report (now and then a fridge drifts out of range,
 * and station QA releases what an excursion held); the donor system records a donation; a donor's bill is waived at
 * H002's billing window. Every step goes through the same API and rules as a real caller; a refusal is counted, never
 * retried blindly.
 */
public final class DemoActivity implements AutoCloseable {

    /** What a step did. */
    public enum Kind { RELEASE, ORDER, DISPATCH, RECEIPT, TRANSFUSION, READINGS, QA_RELEASE, DONATION, WAIVER }

    private static final Kind[] WEIGHTED = {
        Kind.RELEASE, Kind.RELEASE, Kind.RELEASE, Kind.ORDER, Kind.ORDER, Kind.DISPATCH, Kind.DISPATCH,
        Kind.RECEIPT, Kind.RECEIPT, Kind.TRANSFUSION, Kind.TRANSFUSION, Kind.READINGS, Kind.READINGS,
        Kind.DONATION, Kind.WAIVER};
    /** Components the demo moves, with a bag's quantity in the unit of issue and its volume. */
    private static final String[][] COMPONENTS = {{"RBC", "2", "400"}, {"RBC_LR", "2", "400"}, {"FFP", "200", "200"},
        {"PLT_AP", "1", "250"}, {"CRYO", "1", "50"}};
    private static final Map<String, String> HOSPITAL_USER = Map.of("H001", "hospital-a", "H002", "hospital-b");
    private static final Duration TOKEN_LIFE = Duration.ofMinutes(4);

    private final String apiBase;
    private final String tokenUrl;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String[]> tokens = new HashMap<>();
    private final Map<String, Deque<String[]>> held = new HashMap<>();
    private final Deque<String> donors = new ArrayDeque<>();
    private final Map<Kind, Integer> done = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> refused = new EnumMap<>(Kind.class);
    private final int run;
    private int seq;
    private ScheduledExecutorService timer;

    public DemoActivity(String apiBase, String tokenUrl, long seed) {
        this.apiBase = apiBase;
        this.tokenUrl = tokenUrl;
        this.random = new Random(seed);
        this.run = (int) (Instant.now().getEpochSecond() / 60 % 100_000);
    }

    /** Runs {@code perMinute} steps a minute in the background until closed; a failing step never stops it. */
    public DemoActivity start(int perMinute) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-activity");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, 60_000L / Math.max(1, perMinute));
        timer.scheduleAtFixedRate(() -> {
            try {
                step();
            } catch (Exception e) {
                System.err.println("[demo] step failed: " + e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Steps done, by kind. */
    public synchronized Map<Kind, Integer> done() {
        return Map.copyOf(done);
    }

    /** Steps the platform refused (a 4xx other than "nothing to do"), by kind. */
    public synchronized Map<Kind, Integer> refused() {
        return Map.copyOf(refused);
    }

    /** One step of the day's work; returns what it did, or null when there was nothing to do for it. */
    public synchronized Kind step() throws IOException, InterruptedException {
        Kind kind = WEIGHTED[random.nextInt(WEIGHTED.length)];
        boolean did = switch (kind) {
            case RELEASE -> release();
            case ORDER -> order();
            case DISPATCH -> dispatch();
            case RECEIPT -> receipt();
            case TRANSFUSION -> transfusion();
            case READINGS -> readings();
            case QA_RELEASE -> false;
            case DONATION -> donation();
            case WAIVER -> waiver();
        };
        return did ? kind : null;
    }

    private boolean release() throws IOException, InterruptedException {
        String[] c = COMPONENTS[random.nextInt(COMPONENTS.length)];
        String data = "W1234" + String.format("26%02d%04d", run % 100, nextSeq());
        String din = data + Din.checkCharacter(data);
        Instant collected = Instant.now().minus(random.nextInt(4 * 24) + 1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        String body = String.format(Locale.ROOT, "{\"din\":\"%s\",\"component\":\"%s\",\"abo\":\"%s\",\"rhd\":\"%s\","
                + "\"quantity\":%s,\"volumeMl\":%s,\"collectedAt\":\"%s\",\"locationId\":\"STATION\"}",
                din, c[0], DemoData.pickAbo(random), random.nextInt(100) < 3 ? "NEG" : "POS", c[1], c[2], collected);
        return count(Kind.RELEASE, send("dispatcher", "POST", "/units", body, "demo-" + din + "-" + c[0]));
    }

    private boolean order() throws IOException, InterruptedException {
        String location = random.nextBoolean() ? "H001" : "H002";
        int p = random.nextInt(100);
        String priority = p < 5 ? "EMERGENCY" : p < 25 ? "URGENT" : "ROUTINE";
        String[] c = COMPONENTS[random.nextInt(COMPONENTS.length)];
        int quantity = Integer.parseInt(c[1]) * (1 + random.nextInt(2));
        String body = String.format(Locale.ROOT, "{\"locationId\":\"%s\",\"priority\":\"%s\",\"allowSubstitution\":%s,"
                + "\"lines\":[{\"component\":\"%s\",\"abo\":\"%s\",\"rhd\":\"POS\",\"quantity\":%d}]}",
                location, priority, !"ROUTINE".equals(priority), c[0], DemoData.pickAbo(random), quantity);
        return count(Kind.ORDER, send(HOSPITAL_USER.get(location), "POST", "/orders", body,
                "demo-order-" + run + "-" + nextSeq()));
    }

    private boolean dispatch() throws IOException, InterruptedException {
        JsonNode orders = get("dispatcher", "/orders?status=ALLOCATED&limit=20").path("items");
        if (orders.isEmpty()) {
            return false;
        }
        JsonNode oldest = orders.get(orders.size() - 1);
        return count(Kind.DISPATCH, send("dispatcher", "POST", "/orders/" + oldest.path("id").asText() + "/dispatch",
                "", null));
    }

    private boolean receipt() throws IOException, InterruptedException {
        String location = random.nextBoolean() ? "H001" : "H002";
        String user = HOSPITAL_USER.get(location);
        JsonNode orders = get(user, "/orders?locationId=" + location + "&status=DISPATCHED&limit=5").path("items");
        if (orders.isEmpty()) {
            return false;
        }
        JsonNode order = orders.get(0);
        StringBuilder units = new StringBuilder();
        Deque<String[]> bags = held.computeIfAbsent(location, k -> new ArrayDeque<>());
        for (JsonNode line : order.path("lines")) {
            for (JsonNode u : line.path("units")) {
                units.append(units.isEmpty() ? "" : ",").append(String.format("{\"din\":\"%s\",\"component\":\"%s\",\"accepted\":true}",
                        u.path("din").asText(), u.path("component").asText()));
                bags.add(new String[] {u.path("din").asText(), u.path("component").asText()});
            }
        }
        return count(Kind.RECEIPT, send(user, "POST", "/orders/" + order.path("id").asText() + "/receipt",
                "{\"units\":[" + units + "]}", null));
    }

    private boolean transfusion() throws IOException, InterruptedException {
        String location = random.nextBoolean() ? "H001" : "H002";
        Deque<String[]> bags = held.getOrDefault(location, new ArrayDeque<>());
        String[] bag = bags.poll();
        if (bag == null) {
            return false;
        }
        String body = String.format("{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-%s-%06d\",\"occurredAt\":\"%s\"}",
                location, random.nextInt(1_000_000), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        return count(Kind.TRANSFUSION, send(HOSPITAL_USER.get(location), "POST",
                "/units/" + bag[0] + "/" + bag[1] + "/events", body, "demo-fate-" + bag[0] + "-" + bag[1]));
    }

    /** SP01's three sensors; one reading in forty is a fridge door left open (an excursion, held until QA decides). */
    private boolean readings() throws IOException, InterruptedException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        boolean doorOpen = random.nextInt(40) == 0;
        double fridge = doorOpen ? 11.5 : 3.5 + random.nextDouble() * 1.5;
        String body = String.format(Locale.ROOT, "{\"readings\":[{\"equipmentId\":\"SP01-F1\",\"at\":\"%s\",\"celsius\":%.1f},"
                + "{\"equipmentId\":\"SP01-P1\",\"at\":\"%s\",\"celsius\":%.1f},"
                + "{\"equipmentId\":\"SP01-Z1\",\"at\":\"%s\",\"celsius\":%.1f}]}",
                now, fridge, now, 21.5 + random.nextDouble(), now, -25.0 + random.nextDouble() * 2);
        HttpResponse<String> answer = request("sp-operator", "POST", "/storage-points/SP01/temperature-readings", body, null);
        boolean ok = count(Kind.READINGS, answer.statusCode());
        if (doorOpen) {
            // the fridge is closed again a second later, and station QA releases what the excursion held
            send("sp-operator", "POST", "/storage-points/SP01/temperature-readings", String.format(Locale.ROOT,
                    "{\"readings\":[{\"equipmentId\":\"SP01-F1\",\"at\":\"%s\",\"celsius\":4.0}]}", now.plusSeconds(1)), null);
            if (ok) {
                for (JsonNode started : json.readTree(answer.body()).path("excursions")) {
                    qaRelease(started.asText());
                }
            }
        }
        return ok;
    }

    /** Station QA releases the units an excursion this step started held (none if it held none). */
    private void qaRelease(String excursionId) throws IOException, InterruptedException {
        JsonNode excursion = null;
        for (JsonNode e : get("dispatcher", "/storage-points/SP01/excursions?limit=50").path("items")) {
            if (excursionId.equals(e.path("id").asText())) {
                excursion = e;
            }
        }
        if (excursion == null) {
            return;
        }
        StringBuilder units = new StringBuilder();
        for (JsonNode u : excursion.path("unitsQuarantined")) {
            units.append(units.isEmpty() ? "" : ",").append(String.format("{\"din\":\"%s\",\"component\":\"%s\"}",
                    u.path("din").asText(), u.path("component").asText()));
        }
        if (!units.isEmpty()) {
            count(Kind.QA_RELEASE, send("dispatcher", "POST", "/storage-points/SP01/quarantine-decisions",
                    "{\"units\":[" + units + "],\"decision\":\"RELEASE\"}", null));
        }
    }

    private boolean donation() throws IOException, InterruptedException {
        String idNumber = idNumber();
        // the group as the donor system gives it (O 34 %, A 28 %, B 29 %, AB 9 %; RhD-negative 0.4 %, as in the Han
        // population), so a recruitment appeal's counts move in the demo; most donations are of earlier days, a few
        // of today, which are what an open appeal counts
        int g = random.nextInt(100);
        String abo = g < 34 ? "O" : g < 62 ? "A" : g < 91 ? "B" : "AB";
        boolean negative = random.nextInt(1000) < 4;
        Instant donatedAt = random.nextInt(10) == 0 ? Instant.now().minusSeconds(60)
                : Instant.now().minus(random.nextInt(300) + 1, ChronoUnit.DAYS);
        String body = String.format("{\"donationId\":\"DEMO-%d-%05d\",\"donorIdNumber\":\"%s\",\"donorName\":\"献血者%d\","
                + "\"donatedAt\":\"%s\",\"kind\":\"WHOLE_BLOOD\",\"volumeMl\":%d,\"rhdNegative\":%b,"
                + "\"abo\":\"%s\",\"rhd\":\"%s\"}",
                run, nextSeq(), idNumber, seq, donatedAt.truncatedTo(ChronoUnit.SECONDS),
                random.nextBoolean() ? 400 : 200, negative, abo, negative ? "NEG" : "POS");
        boolean ok = count(Kind.DONATION, send("waiver-admin", "POST", "/donations", body, null));
        if (ok) {
            donors.add(idNumber);
        }
        return ok;
    }

    /** A donor transfused at H002: the HIS quotes the bill and, if something is waivable, claims it. */
    private boolean waiver() throws IOException, InterruptedException {
        String idNumber = donors.poll();
        if (idNumber == null) {
            return false;
        }
        String bill = String.format(Locale.ROOT, "{\"hospitalId\":\"H002\",\"billNo\":\"DEMO-%d-%05d\",\"patientIdNumber\":\"%s\","
                + "\"patientName\":\"献血者\",\"items\":[{\"component\":\"RBC\",\"quantity\":2,\"amountYuan\":440.00}],"
                + "\"insuranceCoveredYuan\":0}", run, nextSeq(), idNumber);
        HttpResponse<String> quote = request("his-h002", "POST", "/fee-waivers/quote", bill, null);
        if (quote.statusCode() != 200 || !json.readTree(quote.body()).path("eligible").asBoolean()) {
            return false;
        }
        return count(Kind.WAIVER, send("his-h002", "POST", "/fee-waivers", bill, null));
    }

    /** A valid resident ID number of a made-up person born 1960-2000 (region 330106, Hangzhou Xihu). */
    private String idNumber() {
        LocalDate birth = LocalDate.of(1960, 1, 1).plusDays(random.nextInt(40 * 365));
        String first17 = String.format("330106%s%03d", birth.toString().replace("-", ""), random.nextInt(1000));
        return first17 + IdNumbers.checkCharacter(first17);
    }

    private int nextSeq() {
        return ++seq % 10_000;
    }

    private boolean count(Kind kind, int status) {
        if (status >= 200 && status < 300) {
            done.merge(kind, 1, Integer::sum);
            return true;
        }
        refused.merge(kind, 1, Integer::sum);
        return false;
    }

    private int send(String user, String method, String path, String body, String idempotencyKey)
            throws IOException, InterruptedException {
        return request(user, method, path, body, idempotencyKey).statusCode();
    }

    private JsonNode get(String user, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = request(user, "GET", path, null, null);
        return r.statusCode() == 200 ? json.readTree(r.body()) : json.createObjectNode();
    }

    private HttpResponse<String> request(String user, String method, String path, String body, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiBase + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token(user))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey.length() > 64 ? idempotencyKey.substring(0, 64) : idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A token of the demo realm, fetched again before it expires (users by password, his-* by client credentials). */
    private String token(String user) throws IOException, InterruptedException {
        String[] cached = tokens.get(user);
        if (cached != null && Instant.parse(cached[1]).isAfter(Instant.now())) {
            return cached[0];
        }
        String form = user.startsWith("his-")
                ? "grant_type=client_credentials&client_id=" + user + "&client_secret=" + user + "-secret"
                : "grant_type=password&client_id=hemolink-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("no token for " + user + ": " + r.statusCode());
        }
        String token = json.readTree(r.body()).path("access_token").asText();
        tokens.put(user, new String[] {token, Instant.now().plus(TOKEN_LIFE).toString()});
        return token;
    }

    /** For the launcher's log: what the demo did so far. */
    public synchronized String summary() {
        return "demo activity: done " + done + ", refused " + refused;
    }
}
