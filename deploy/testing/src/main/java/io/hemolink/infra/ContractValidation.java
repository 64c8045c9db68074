package io.hemolink.infra;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.JsonValidationReportFormat;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every REST Assured call a {@code @QuarkusTest} makes is checked against the OpenAPI the application under test
 * serves ({@code /q/openapi}, which each service's {@code ServiceBasicsTest} holds equal to contracts/openapi), with
 * Atlassian's swagger-request-validator: a response whose status the operation does not list, whose content type it
 * does not list for that status, or whose body breaks the schema fails the test (ADR 0019).
 * <p>
 * Requests are not validated: tests send bad input on purpose, and what the service answers to it is what is
 * checked. Calls outside the spec's paths ({@code /q/health}, a path no operation has) are not checked either.
 * Installed for every {@code @QuarkusTest} of a module that has this module on its test class path (a Quarkus test
 * callback, registered in META-INF/services); {@code -Dhemolink.contract.validation=false} turns it off.
 */
public final class ContractValidation implements QuarkusTestBeforeEachCallback {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Optional<OpenApiInteractionValidator>> SPECS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    /** Adds the validating filter to REST Assured's global filters, once (the application's class loader may be new). */
    public static void install() {
        if (!Boolean.parseBoolean(System.getProperty("hemolink.contract.validation", "true"))) {
            return;
        }
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof ResponseFilter)) {
            RestAssured.filters(new ResponseFilter());
        }
    }

    /**
     * Checks one answer got without REST Assured (the {@link AccessMatrix}'s calls) against the spec the application
     * at {@code base} serves; fails with the validator's report when the answer breaks it. Event streams are not read.
     */
    public static void check(URI base, String method, String path, int status, String contentType, String body) {
        if (!Boolean.parseBoolean(System.getProperty("hemolink.contract.validation", "true"))
                || (contentType != null && contentType.startsWith("text/event-stream"))) {
            return;
        }
        Optional<OpenApiInteractionValidator> validator = SPECS.computeIfAbsent(
                base.getScheme() + "://" + base.getHost() + ":" + base.getPort(), ContractValidation::load);
        if (validator.isEmpty()) {
            return;
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status).withBody(body);
        if (contentType != null) {
            response.withContentType(contentType);
        }
        ValidationReport report = validator.get().validateResponse(path, Request.Method.valueOf(method), response.build());
        if (report.hasErrors()) {
            throw new AssertionError(method + " " + path + " answered " + status + " " + contentType
                    + ", which its OpenAPI does not allow:\n" + JsonValidationReportFormat.getInstance().apply(report));
        }
    }

    /** The validator of the application's served spec; empty when it serves none or one without operations. */
    private static Optional<OpenApiInteractionValidator> load(String application) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(application + "/q/openapi?format=json"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> spec = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
            if (spec.statusCode() == 404) {
                return Optional.empty(); // an application without OpenAPI
            }
            if (spec.statusCode() != 200) {
                throw new IllegalStateException("GET " + get.uri() + " answered " + spec.statusCode());
            }
            JsonNode paths = JSON.readTree(spec.body()).path("paths");
            if (!paths.isObject() || paths.isEmpty()) {
                return Optional.empty(); // no operations of its own (the gateway proxies, its routes are Vert.x's)
            }
            return Optional.of(validator(spec.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the OpenAPI of " + application, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The validator for a spec given as JSON or YAML text: responses are checked, requests are not. */
    public static OpenApiInteractionValidator validator(String spec) {
        return OpenApiInteractionValidator.createForInlineApiSpecification(spec)
                .withLevelResolver(LevelResolver.create()
                        .withDefaultLevel(ValidationReport.Level.ERROR)
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    /** Validates against the spec served by the application the request goes to, read on its first call. */
    static final class ResponseFilter implements Filter {

        /** By scheme, host and port: the spec of each application under test (empty: it serves none). */
        private final Map<String, Optional<OpenApiValidationFilter>> byApplication = new ConcurrentHashMap<>();

        private static Optional<OpenApiValidationFilter> load(String application) {
            return ContractValidation.load(application).map(OpenApiValidationFilter::new);
        }

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                               FilterContext context) {
            URI uri = URI.create(request.getURI());
            Optional<OpenApiValidationFilter> validating = uri.getPath().startsWith("/q/") ? Optional.empty()
                    : byApplication.computeIfAbsent(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort(),
                    ResponseFilter::load);
            return validating.isPresent() ? validating.get().filter(request, response, context)
                    : context.next(request, response);
        }

    }
}
