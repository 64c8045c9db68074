package io.hemolink.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bounded, repeatable fuzz run against the service under test (ADR 0021): every operation of its served
 * {@code /q/openapi} gets requests built from its own schemas, most with one thing wrong (a value of the wrong type,
 * a NUL or another control character, a huge string, a fractional number where an integer belongs, an unknown enum
 * value, a required field left out, an unknown field, a bad cursor or limit, broken JSON), sent with the tokens
 * given (rotated) through REST Assured, so the filters other tests install apply here too. It fails listing every
 * response that was a 5xx, or a 4xx that was not problem+json.
 * <p>
 * Values are drawn by jqwik's generators from one {@link Random} with a fixed seed: the same build sends the same
 * requests, and a failure names the seed and the request.
 */
public final class ApiFuzzer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int GEN_SIZE = 100;

    /** Strings that have broken services before: control characters, huge, odd Unicode, injection-shaped. */
    private static final Arbitrary<String> NASTY_STRINGS = Arbitraries.oneOf(
            Arbitraries.of("\u0000", "a\u0000b", "\u0001\u001b[31m", "\u007f", "\ud800", "line\nbreak", "",
                    " ", "😀🩸", "' or 1=1 --", "%zz", "../../etc/passwd", "null", "NaN", "-1", "1.5", "STATION",
                    "H002", "SP02", "REGION"),
            Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(4),
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40),
            Arbitraries.strings().alpha().ofLength(5000).map(s -> s.repeat(4)));

    private static final Arbitrary<Object> WRONG_TYPES = Arbitraries.oneOf(
            Arbitraries.of(1.5, -0.5, 1e40, -1, 0, Long.MAX_VALUE, true, false).map(v -> (Object) v),
            Arbitraries.of("2", "true", "1.5", "").map(v -> (Object) v),
            Arbitraries.just(NODES.arrayNode()), Arbitraries.just(NODES.objectNode()), Arbitraries.just(NODES.nullNode()));

    private static final Arbitrary<String> BROKEN_BODIES = Arbitraries.of("{", "[]", "null", "\"x\"", "42",
            "{\"a\":}", "{\"a\":\"\\u0000\"}", "{\"unknownField\":1}", "", "{}");

    private final long seed;
    private final Random random;
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, List<String>> pathValues = new TreeMap<>();
    private final Set<String> skipped = new LinkedHashSet<>();
    private Duration budget = Duration.ofSeconds(25);
    private int requestsPerOperation = 30;

    private ApiFuzzer(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** A run with this seed against the service REST Assured points at. */
    public static ApiFuzzer withSeed(long seed) {
        return new ApiFuzzer(seed);
    }

    /** The tokens requests are sent with, in turn (roles that may call an operation get past 403 and deeper). */
    public ApiFuzzer tokens(String... tokens) {
        this.tokens.addAll(List.of(tokens));
        return this;
    }

    /** Real values for a path parameter ({@code id}: an existing order), drawn as often as made-up ones. */
    public ApiFuzzer pathValues(String parameter, String... values) {
        pathValues.computeIfAbsent(parameter, k -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    /** Leaves out an operation ({@code "GET /stock/stream"}) whose answer never ends. */
    public ApiFuzzer skip(String operation) {
        skipped.add(operation);
        return this;
    }

    public ApiFuzzer budget(Duration budget, int requestsPerOperation) {
        this.budget = budget;
        this.requestsPerOperation = requestsPerOperation;
        return this;
    }

    /** Sends the requests and fails with every 5xx (and every 4xx that is not problem+json) it got. */
    public void run() {
        if (tokens.isEmpty()) {
            throw new IllegalStateException("give the tokens to send requests with");
        }
        // jqwik's generators run inside a session of their own outside its engine (here: a Quarkus/Jupiter test)
        JqwikSession.start();
        try {
            fuzz();
        } finally {
            JqwikSession.finish();
        }
    }

    private void fuzz() {
        JsonNode spec = readSpec();
        List<Operation> operations = operations(spec);
        Instant deadline = Instant.now().plus(budget);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (int round = 0; round < requestsPerOperation && Instant.now().isBefore(deadline); round++) {
            for (Operation op : operations) {
                if (!Instant.now().isBefore(deadline)) {
                    break;
                }
                Request r = request(spec, op, round);
                Response response = send(r);
                sent++;
                int status = response.statusCode();
                String type = response.contentType() == null ? "" : response.contentType();
                // 414 and 431 (a URL or headers beyond the HTTP parser's limits) are refused by Netty before any
                // handler, without a body: not ours to word (ADR 0021)
                boolean parserLimit = status == 414 || status == 431;
                if (status >= 500 || (status >= 400 && !parserLimit && !type.startsWith("application/problem+json"))) {
                    failures.add(status + " " + type + " for " + r + " -> " + abbreviate(response.asString(), 300));
                }
            }
        }
        if (sent == 0) {
            fail("no request was sent (no operations in /q/openapi?)");
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + sent + " fuzzed requests (seed " + seed + ") were answered badly:\n"
                    + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
        System.out.println("ApiFuzzer: " + sent + " requests over " + operations.size() + " operations, seed " + seed
                + ", none answered 5xx or without problem+json");
    }

    private record Operation(String method, String path, JsonNode node) {
    }

    private record Request(String method, String target, String token, String body) {
        @Override
        public String toString() {
            return method + " " + abbreviate(target, 200) + (body == null ? "" : " body " + abbreviate(body, 200));
        }
    }

    private JsonNode readSpec() {
        String text = RestAssured.given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString();
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the served OpenAPI is not JSON", e);
        }
    }

    private List<Operation> operations(JsonNode spec) {
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> m = methods.next();
                String method = m.getKey().toUpperCase(Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                String template = p.getKey().startsWith("/api/v1") ? p.getKey().substring("/api/v1".length()) : p.getKey();
                if (skipped.contains(method + " " + template) || streams(m.getValue())) {
                    continue;
                }
                ops.add(new Operation(method, p.getKey(), m.getValue()));
            }
        }
        return ops;
    }

    private static boolean streams(JsonNode operation) {
        for (JsonNode response : operation.path("responses")) {
            if (response.path("content").has("text/event-stream")) {
                return true;
            }
        }
        return false;
    }

    private Request request(JsonNode spec, Operation op, int round) {
        String token = tokens.get(Math.floorMod(round + op.path.hashCode(), tokens.size()));
        // one request in four is built as the schema says; the others have one thing wrong
        boolean clean = random.nextInt(4) == 0;
        String what = clean ? "" : pick("path", "query", "body", "body", "body");
        StringBuilder target = new StringBuilder();
        for (String segment : op.path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            target.append('/');
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                target.append(encode(urlSized(pathValue(spec, op, name, what.equals("path") && random.nextBoolean())), false));
            } else {
                target.append(segment);
            }
        }
        List<String> query = new ArrayList<>();
        for (JsonNode parameter : op.node.path("parameters")) {
            JsonNode param = resolve(spec, parameter);
            if (!"query".equals(param.path("in").asText()) || (!param.path("required").asBoolean() && random.nextInt(3) == 0)) {
                continue;
            }
            String name = param.path("name").asText();
            String value = what.equals("query") && random.nextBoolean() ? queryNasty(name)
                    : scalarText(value(spec, param.path("schema"), 0));
            query.add(encode(name, true) + "=" + encode(urlSized(value), true));
        }
        if (what.equals("query") && random.nextInt(4) == 0) {
            // broken UTF-8 and a NUL as raw encodings (%zz itself cannot be sent by REST Assured: common's tests do it)
            query.add(pick("locationId=%C3%28", "limit=%C3%28", "cursor=%FF", "x=%00"));
        }
        if (!query.isEmpty()) {
            target.append('?').append(String.join("&", query));
        }
        String body = null;
        JsonNode content = resolve(spec, op.node.path("requestBody")).path("content");
        if (content.has("application/json")) {
            JsonNode schema = content.path("application/json").path("schema");
            if (what.equals("body") && random.nextInt(8) == 0) {
                body = BROKEN_BODIES.generator(GEN_SIZE).next(random).value();
            } else {
                JsonNode value = value(spec, schema, 0);
                if (what.equals("body")) {
                    value = mutate(spec, schema, value);
                }
                body = value.toString();
            }
        } else if (!op.method.equals("GET") && !op.method.equals("DELETE") && what.equals("body")) {
            body = BROKEN_BODIES.generator(GEN_SIZE).next(random).value();
        }
        return new Request(op.method, target.toString(), token, body);
    }

    private Response send(Request r) {
        RequestSpecification s = RestAssured.given().urlEncodingEnabled(false).auth().oauth2(r.token);
        if (r.body != null) {
            s = s.contentType("application/json").body(r.body.getBytes(StandardCharsets.UTF_8));
        }
        if (random.nextInt(5) == 0) {
            s = s.header("Idempotency-Key", random.nextBoolean() ? "fuzz-" + UUID.randomUUID() : "x".repeat(80));
        }
        return s.request(r.method, r.target);
    }

    private String pathValue(JsonNode spec, Operation op, String name, boolean nasty) {
        List<String> known = pathValues.get(name);
        if (nasty) {
            return NASTY_STRINGS.generator(GEN_SIZE).next(random).value();
        }
        if (known != null && !known.isEmpty() && random.nextBoolean()) {
            return known.get(random.nextInt(known.size()));
        }
        for (JsonNode parameter : op.node.path("parameters")) {
            JsonNode param = resolve(spec, parameter);
            if (name.equals(param.path("name").asText()) && "path".equals(param.path("in").asText())) {
                return scalarText(value(spec, param.path("schema"), 0));
            }
        }
        return pick("H001", "SP01", "G123498654321H", UUID.randomUUID().toString(), "x");
    }

    /**
     * A value for the URL, cut to 250 characters: percent-encoded it stays within the HTTP parser's 4 KiB request
     * line, which Netty enforces with a bare 414 before any handler (not an answer of the service's); the huge
     * strings go into bodies instead.
     */
    private static String urlSized(String value) {
        return value == null || value.length() <= 250 ? value : value.substring(0, 250);
    }

    private String queryNasty(String name) {
        return switch (name) {
            case "limit" -> pick("0", "501", "-1", "1.5", "abc", "99999999999");
            case "cursor" -> pick("garbage!", "bm90IGEgc2Vx", "%%", "AAAA", "x".repeat(250));
            case "active" -> pick("maybe", "1", "yes", "");
            default -> random.nextBoolean() ? NASTY_STRINGS.generator(GEN_SIZE).next(random).value()
                    : String.valueOf(WRONG_TYPES.generator(GEN_SIZE).next(random).value());
        };
    }

    /** One thing wrong in an otherwise built value: a field's value replaced, a required field dropped, one added. */
    private JsonNode mutate(JsonNode spec, JsonNode schema, JsonNode value) {
        if (!(value instanceof ObjectNode object) || object.isEmpty()) {
            return nastyNode();
        }
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(object, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        int kind = random.nextInt(10);
        if (names.isEmpty() || kind == 0) {
            target.put("unknownField" + random.nextInt(10), "x");
        } else if (kind <= 2) {
            target.remove(names.get(random.nextInt(names.size())));
        } else {
            target.set(names.get(random.nextInt(names.size())), nastyNode());
        }
        return value;
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode o) {
            into.add(o);
        }
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                collectObjects(child, into);
            }
        }
    }

    private JsonNode nastyNode() {
        if (random.nextBoolean()) {
            return NODES.textNode(NASTY_STRINGS.generator(GEN_SIZE).next(random).value());
        }
        Object v = WRONG_TYPES.generator(GEN_SIZE).next(random).value();
        return v instanceof JsonNode n ? n.deepCopy() : JSON.valueToTree(v);
    }

    /** A value as the schema describes it (valid-ish: within its type, format and enum, not its every rule). */
    private JsonNode value(JsonNode spec, JsonNode schemaRef, int depth) {
        JsonNode schema = resolve(spec, schemaRef);
        if (schema.has("allOf") && schema.path("allOf").size() > 0) {
            return value(spec, schema.path("allOf").get(0), depth);
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            JsonNode options = schema.has("oneOf") ? schema.path("oneOf") : schema.path("anyOf");
            return value(spec, options.get(random.nextInt(options.size())), depth);
        }
        if (schema.has("enum")) {
            JsonNode values = schema.path("enum");
            return values.get(random.nextInt(values.size())).deepCopy();
        }
        String type = type(schema);
        String format = schema.path("format").asText("");
        switch (type) {
            case "object" -> {
                ObjectNode o = NODES.objectNode();
                if (depth > 4) {
                    return o;
                }
                Set<String> required = new LinkedHashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    if (required.contains(p.getKey()) || random.nextInt(10) < 7) {
                        o.set(p.getKey(), value(spec, p.getValue(), depth + 1));
                    }
                }
                return o;
            }
            case "array" -> {
                ArrayNode a = NODES.arrayNode();
                int n = Math.max(schema.path("minItems").asInt(0), 1 + random.nextInt(3));
                for (int i = 0; i < n && depth <= 4; i++) {
                    a.add(value(spec, schema.path("items"), depth + 1));
                }
                return a;
            }
            case "integer" -> {
                int lo = Math.max(schema.path("minimum").asInt(0), 0);
                int hi = Math.max(lo, Math.min(schema.path("maximum").asInt(500), 500));
                return NODES.numberNode(Arbitraries.integers().between(lo, hi).generator(GEN_SIZE).next(random).value());
            }
            case "number" -> {
                return NODES.numberNode(Arbitraries.bigDecimals().between(java.math.BigDecimal.ZERO,
                        java.math.BigDecimal.valueOf(1000)).ofScale(2).generator(GEN_SIZE).next(random).value());
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.textNode(switch (format) {
                    case "date-time" -> Instant.now().plusSeconds(random.nextInt(7 * 86400) - 86400L).toString();
                    case "date" -> LocalDate.now().plusDays(random.nextInt(10)).toString();
                    case "uuid" -> UUID.randomUUID().toString();
                    default -> Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
                            .generator(GEN_SIZE).next(random).value();
                });
            }
        }
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : "string";
    }

    private static JsonNode resolve(JsonNode spec, JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.path("$ref").asText();
            JsonNode target = spec;
            for (String part : ref.replaceFirst("^#/", "").split("/")) {
                target = target.path(part);
            }
            current = target;
        }
        return current;
    }

    private static String scalarText(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String encode(String text, boolean query) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8);
        return query ? encoded : encoded.replace("+", "%20");
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String abbreviate(String s, int max) {
        String clean = s.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "…(" + clean.length() + " chars)";
    }
}
