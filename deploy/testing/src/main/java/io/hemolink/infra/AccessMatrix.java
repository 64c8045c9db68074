package io.hemolink.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.contracts.security.Roles;
import io.restassured.RestAssured;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The access rules of api.md as a table, run against the service under test: one {@link Row} per endpoint (method
 * and path template, exactly as in the service's OpenAPI) with the roles that may call it, run as dynamic tests for
 * <ul>
 *   <li>no token, an expired token and a forged token: 401 problem+json {@code UNAUTHORIZED};</li>
 *   <li>each realm role alone: an allowed role gets neither 401/403 nor a 5xx (400/404/422 are fine: the request
 *   may be minimal); any other role 403 problem+json {@code FORBIDDEN};</li>
 *   <li>for endpoints that address a location's object, the tenant roles of another location: 404 {@code NOT_FOUND}
 *   (or what the row says, e.g. 403 {@code LOCATION_NOT_YOURS} when the caller names another location);</li>
 *   <li>completeness: every operation of the service's {@code /q/openapi} has a row, and every row an operation, so a
 *   new endpoint without a row fails the build.</li>
 * </ul>
 * Use from a {@code @QuarkusTest} class's {@code @TestFactory} method: build the table (creating fixtures first)
 * and return {@link #tests()}.
 * <p>
 * Tokens come from {@link TestTokens}, one role each: station roles act for {@code STATION}, hospital roles for the
 * home hospital, the storage-point operator for the home point. In a row's path and body, {@value #LOC} stands for
 * the location the call is about: the caller's own (the home hospital for station roles, which act on its behalf),
 * and in the other-tenant cases the home location while the token carries another.
 */
public final class AccessMatrix {

    /** "hospital" in api.md: either hospital role, for its {@code location_id}. */
    public static final String[] HOSPITAL = {Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION};

    /** In a row's path or body: the location the call is about (see the class comment). */
    public static final String LOC = "$LOC";

    private static final String STATION = "STATION";
    private static final String PROBLEM = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String basePath;
    private String hospital = "H001";
    private String otherHospital = "H002";
    private String point = "SP01";
    private String otherPoint = "SP02";
    private final List<Row> rows = new ArrayList<>();

    private AccessMatrix(String basePath) {
        this.basePath = basePath;
    }

    /** A table for a service whose public paths start with {@code /api/v1} (OpenAPI paths include it). */
    public static AccessMatrix forService() {
        return new AccessMatrix("/api/v1");
    }

    /** The home hospital and point (whose objects the rows address) and the other tenants that must not see them. */
    public AccessMatrix tenants(String homeHospital, String anotherHospital, String homePoint, String anotherPoint) {
        this.hospital = homeHospital;
        this.otherHospital = anotherHospital;
        this.point = homePoint;
        this.otherPoint = anotherPoint;
        return this;
    }

    /** A row for one operation, {@code "GET /orders/{id}"}: the path template as in OpenAPI, without {@code /api/v1}. */
    public Row row(String operation) {
        String[] parts = operation.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("an operation is 'METHOD /path/{template}': " + operation);
        }
        Row row = new Row(parts[0].toUpperCase(Locale.ROOT), parts[1]);
        rows.add(row);
        return row;
    }

    /** One endpoint of the table, with what each kind of caller must get. */
    public static final class Row {
        private final String method;
        private final String template;
        private final Set<String> allowed = new LinkedHashSet<>();
        private String path;
        private String body;
        private String accept = "*/*";
        private Integer otherTenantStatus;
        private String otherTenantCode;

        private Row(String method, String template) {
            this.method = method;
            this.template = template;
            this.body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? "{}" : null;
        }

        /** The roles api.md (or, for calls it does not list, the service's documentation) lets call this. */
        public Row allow(String... roles) {
            for (String r : roles) {
                if (!Roles.ALL.contains(r)) {
                    throw new IllegalArgumentException("not a realm role: " + r);
                }
                allowed.add(r);
            }
            return this;
        }

        /** The concrete path to call (with query if wanted), default the template itself; may use {@value #LOC}. */
        public Row at(String concretePath) {
            this.path = concretePath;
            return this;
        }

        /** The JSON body (default {@code {}} for POST and PUT); may use {@value #LOC}. */
        public Row body(String json) {
            this.body = json;
            return this;
        }

        public Row accept(String mediaType) {
            this.accept = mediaType;
            return this;
        }

        /** The row addresses an object of the home location: other tenants' allowed roles get 404 NOT_FOUND. */
        public Row otherTenant404() {
            return otherTenant(404, "NOT_FOUND");
        }

        /**
         * The row addresses an object of the home location (or names it): the allowed tenant roles of another
         * location get this status and code.
         */
        public Row otherTenant(int status, String code) {
            this.otherTenantStatus = status;
            this.otherTenantCode = code;
            return this;
        }

        String operation() {
            return method + " " + template;
        }

        @Override
        public String toString() {
            return operation();
        }
    }

    /** The dynamic tests: completeness against OpenAPI first, then one container of cases per row. */
    public Stream<DynamicNode> tests() {
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(DynamicTest.dynamicTest("every operation of /q/openapi has a row, and every row an operation",
                this::assertComplete));
        for (Row row : rows) {
            nodes.add(DynamicContainer.dynamicContainer(row.operation(), cases(row)));
        }
        return nodes.stream();
    }

    private List<DynamicTest> cases(Row row) {
        if (row.template.contains("{") && row.path == null) {
            throw new IllegalArgumentException(row + " has path variables: give a concrete path with at(...)");
        }
        String anyAllowed = row.allowed.isEmpty() ? Roles.STATION_DISPATCHER : row.allowed.iterator().next();
        List<DynamicTest> cases = new ArrayList<>();
        cases.add(DynamicTest.dynamicTest("no token → 401",
                () -> assertUnauthorized(send(row, null, locationOf(anyAllowed), "no token"))));
        String user = "matrix-" + anyAllowed;
        String expired = TestTokens.expired(user, tokenLocation(anyAllowed), anyAllowed);
        String forged = TestTokens.forged(user, tokenLocation(anyAllowed), anyAllowed);
        cases.add(DynamicTest.dynamicTest("expired token → 401",
                () -> assertUnauthorized(send(row, expired, locationOf(anyAllowed), "expired token"))));
        cases.add(DynamicTest.dynamicTest("forged token → 401",
                () -> assertUnauthorized(send(row, forged, locationOf(anyAllowed), "forged token"))));
        for (String role : Roles.ALL) {
            String token = TestTokens.token("matrix-" + role, tokenLocation(role), role);
            if (row.allowed.contains(role)) {
                cases.add(DynamicTest.dynamicTest(role + " → allowed", () -> {
                    Answer a = send(row, token, locationOf(role), role + "@" + tokenLocation(role));
                    assertTrue(a.status != 401 && a.status != 403 && a.status < 500,
                            role + " may call " + row + " but got " + a);
                }));
            } else {
                cases.add(DynamicTest.dynamicTest(role + " → 403", () -> assertProblem(
                        send(row, token, locationOf(role), role + "@" + tokenLocation(role)), 403, "FORBIDDEN")));
            }
        }
        if (row.otherTenantStatus != null) {
            Set<String> roles = row.allowed.stream().filter(Roles.TENANT_ROLES::contains)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (roles.isEmpty()) {
                throw new IllegalArgumentException(row + " has an other-tenant expectation but no tenant role to try it with");
            }
            for (String role : roles) {
                String other = role.equals(Roles.STORAGE_POINT_OPERATOR) ? otherPoint : otherHospital;
                String token = TestTokens.token("matrix-" + role + "-other", other, role);
                cases.add(DynamicTest.dynamicTest("another tenant: " + role + " of " + other + " → " + row.otherTenantStatus,
                        () -> assertProblem(send(row, token, locationOf(role), role + "@" + other), row.otherTenantStatus,
                                row.otherTenantCode)));
            }
        }
        return cases;
    }

    /** The location a role's token carries. */
    private String tokenLocation(String role) {
        return switch (role) {
            case Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION -> hospital;
            case Roles.STORAGE_POINT_OPERATOR -> point;
            default -> STATION;
        };
    }

    /** The location a call by this role is about ({@value #LOC}): its own, the home hospital for station roles. */
    private String locationOf(String role) {
        return role.equals(Roles.STORAGE_POINT_OPERATOR) ? point : hospital;
    }

    private void assertComplete() {
        JsonNode paths = get("/q/openapi?format=json").path("paths");
        Set<String> served = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String path = p.getKey().startsWith(basePath) ? p.getKey().substring(basePath.length()) : p.getKey();
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String m = methods.next().toUpperCase(Locale.ROOT);
                if (Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS").contains(m)) {
                    served.add(m + " " + path);
                }
            }
        }
        List<String> tabled = rows.stream().map(Row::operation).toList();
        Set<String> duplicates = tabled.stream().filter(o -> tabled.indexOf(o) != tabled.lastIndexOf(o))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(duplicates.isEmpty(), "operations with more than one row: " + duplicates);
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(tabled);
        Set<String> unknown = new TreeSet<>(tabled);
        unknown.removeAll(served);
        assertFalse(served.isEmpty(), "the service's OpenAPI lists no operation");
        assertEquals(Set.of(), missing, "operations of the service's OpenAPI without a row in the access matrix: add one"
                + " with the roles api.md allows");
        assertEquals(Set.of(), unknown, "rows for operations the service's OpenAPI does not have");
    }

    private static void assertUnauthorized(Answer a) {
        assertProblem(a, 401, "UNAUTHORIZED");
    }

    private static void assertProblem(Answer a, int status, String code) {
        assertEquals(status, a.status, () -> "status of " + a);
        assertTrue(a.contentType != null && a.contentType.startsWith(PROBLEM), () -> "a problem+json body: " + a);
        JsonNode problem = a.json();
        assertEquals(status, problem.path("status").asInt(), () -> "the problem's status: " + a);
        if (code != null) {
            assertEquals(code, problem.path("code").asText(null), () -> "the problem's code: " + a);
        } else {
            assertFalse(problem.path("code").asText("").isBlank(), () -> "the problem has a code: " + a);
        }
    }

    /** What the service answered; an event stream's body is not read. */
    private record Answer(String request, int status, String contentType, String body) {

        /** The problem's code, or "" when the body is no problem. */
        String code() {
            try {
                return contentType != null && contentType.startsWith(PROBLEM) ? JSON.readTree(body).path("code").asText("") : "";
            } catch (IOException e) {
                return "(unreadable problem)";
            }
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return fail("not JSON: " + this);
            }
        }

        @Override
        public String toString() {
            String shown = body.length() > 500 ? body.substring(0, 500) + "…" : body;
            return request + " → " + status + " " + contentType + " " + shown;
        }
    }

    private Answer send(Row row, String token, String location, String who) {
        String path = basePath + (row.path == null ? row.template : row.path).replace(LOC, location);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Accept", row.accept);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        String body = row.body == null ? null : row.body.replace(LOC, location);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(row.method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(row.method, HttpRequest.BodyPublishers.noBody());
        }
        String request = row.method + " " + path + " as " + who;
        try {
            HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = r.headers().firstValue("Content-Type").orElse(null);
            try (InputStream in = r.body()) {
                String text = type != null && type.startsWith("text/event-stream") ? "(event stream, not read)"
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Answer answer = new Answer(request, r.statusCode(), type, text);
                // what it answered must be what the service's OpenAPI lists (ADR 0019)
                ContractValidation.check(uri(path), row.method, path.replaceFirst("\\?.*", ""), r.statusCode(), type,
                        text);
                // one line per case in the test output, to see what each role actually got
                System.out.println("access matrix: " + request + " → " + answer.status + " " + answer.code());
                return answer;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(request, e);
        }
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), () -> "GET " + path + ": " + r.body());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(path, e);
        }
    }

    /** The service under test, where Quarkus pointed REST Assured. */
    private static URI uri(String path) {
        String base = RestAssured.baseURI;
        return URI.create(base + ":" + RestAssured.port + path);
    }
}
