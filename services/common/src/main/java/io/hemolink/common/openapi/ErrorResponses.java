package io.hemolink.common.openapi;

import io.hemolink.common.problem.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes every service's OpenAPI list every status its operations can answer (ADR 0019), registered for all services
 * by {@code mp.openapi.filter} in common's configuration and run when the document is built:
 * <ul>
 *   <li>the statuses any call can get from the shared runtime ({@code ProblemMappers}, security, the HTTP layer):
 *   400 (malformed JSON, unknown field, bad Idempotency-Key, cursor or query), 401, 403, 422, 500 and 503
 *   {@code AUTH_UNAVAILABLE}; 413 where the operation takes a body; 404 where its path has parameters;</li>
 *   <li>every error response as {@code application/problem+json} with the one {@code Problem} schema, also the
 *   statuses particular to an operation, which its method declares with a one-line
 *   {@code @APIResponse(responseCode = "409", description = "UNIT_EXISTS: ...")} (no content needed);</li>
 *   <li>a property marked {@code @Schema(nullable = true)} that refers to a simple schema (an enum, {@code Instant},
 *   {@code UUID}) or a plain object gets that schema inline with {@code nullable: true}: OpenAPI 3.0 cannot make a
 *   {@code $ref} nullable, and the {@code allOf: [$ref], nullable: true} SmallRye would write still refuses null.</li>
 * </ul>
 * Success statuses come from the resources: SmallRye makes a value-returning method 200 and a void one 204; a method
 * that builds its own {@code Response}, or declares any {@code @APIResponse}, names its success status and body with
 * {@code @APIResponseSchema} (and {@code @Produces}). An operation left without a success status fails the build.
 */
public class ErrorResponses implements OASFilter {

    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "FieldError";

    /** The generic statuses and why they happen, in the words of docs/architecture.md's "Errors". */
    private static final Map<Integer, String> GENERIC = Map.of(
            400, "MALFORMED_JSON, UNKNOWN_FIELD, IDEMPOTENCY_KEY_INVALID, CURSOR_INVALID or BAD_REQUEST: the request "
                    + "cannot be read (body, header or query parameter)",
            401, "UNAUTHORIZED: no token, or an expired or invalid one",
            403, "FORBIDDEN (or LOCATION_NOT_YOURS): the caller's role or location may not do this",
            413, "the body is over the size limit",
            422, "VALIDATION_FAILED, INVALID_VALUE or a rule of the operation (see code): every field in errors",
            404, "NOT_FOUND: no such resource, or another tenant's",
            500, "INTERNAL_ERROR: quote the requestId",
            503, "AUTH_UNAVAILABLE: tokens cannot be checked right now; retry after Retry-After seconds");

    /** What SmallRye writes for the statuses it adds itself (security, Bean Validation): ours say more. */
    private static final Set<String> SMALLRYE_DEFAULTS = Set.of("", "Bad Request", "Not Authorized", "Not Allowed");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        defineProblem(openAPI.getComponents());
        inlineNullableReferences(openAPI.getComponents());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (item.getOperations() != null) {
                item.getOperations().forEach((method, operation) -> complete(path, item, method, operation));
            }
        });
    }

    private void complete(String path, PathItem item, PathItem.HttpMethod method, Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null || responses.getAPIResponses() == null
                || responses.getAPIResponses().keySet().stream().noneMatch(code -> code.startsWith("2"))) {
            // SmallRye derives the success response only while a method declares none: one that declares an error
            // status must declare its success too
            throw new IllegalStateException(method + " " + path + " lists no success status: a method with an "
                    + "@APIResponse for an error declares its success too (@APIResponseSchema or @APIResponse)");
        }
        Map<Integer, String> statuses = new TreeMap<>();
        for (int status : List.of(400, 401, 403, 422, 500, 503)) {
            statuses.put(status, GENERIC.get(status));
        }
        if (operation.getRequestBody() != null) {
            statuses.put(413, GENERIC.get(413));
        }
        if (hasPathParameters(path, item, operation)) {
            statuses.put(404, GENERIC.get(404));
        }
        for (Map.Entry<Integer, String> s : statuses.entrySet()) {
            String code = String.valueOf(s.getKey());
            if (!responses.hasAPIResponse(code)) {
                responses.addAPIResponse(code, OASFactory.createAPIResponse().description(s.getValue()));
            }
        }
        for (Map.Entry<String, APIResponse> r : responses.getAPIResponses().entrySet()) {
            if (r.getKey().matches("[45]\\d\\d")) {
                asProblem(Integer.parseInt(r.getKey()), r.getValue());
            }
        }
    }

    private static boolean hasPathParameters(String path, PathItem item, Operation operation) {
        if (path.contains("{")) {
            return true;
        }
        List<Parameter> all = new ArrayList<>();
        if (item.getParameters() != null) {
            all.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            all.addAll(operation.getParameters());
        }
        return all.stream().anyMatch(p -> p.getIn() == Parameter.In.PATH);
    }

    /** The response's body is a Problem in problem+json, whatever the resource declared (or did not). */
    private static void asProblem(int status, APIResponse response) {
        if (response.getDescription() == null || SMALLRYE_DEFAULTS.contains(response.getDescription())) {
            response.setDescription(GENERIC.getOrDefault(status, "see code"));
        }
        MediaType problem = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM));
        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problem);
        response.setContent(content);
        if (status == 503 || status == 429) {
            Header retry = OASFactory.createHeader().description("seconds to wait before trying again")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
            response.addHeader("Retry-After", retry);
        }
    }

    private static void inlineNullableReferences(Components components) {
        Map<String, Schema> schemas = components.getSchemas();
        if (schemas != null) {
            schemas.values().forEach(schema -> inlineNullableReferences(schema, schemas));
        }
    }

    private static void inlineNullableReferences(Schema schema, Map<String, Schema> schemas) {
        if (schema == null) {
            return;
        }
        if (schema.getProperties() != null) {
            Map<String, Schema> properties = new LinkedHashMap<>(schema.getProperties());
            properties.replaceAll((name, property) -> {
                inlineNullableReferences(property, schemas);
                return inlined(property, schemas);
            });
            schema.setProperties(properties);
        }
        if (schema.getItems() != null) {
            inlineNullableReferences(schema.getItems(), schemas);
            schema.setItems(inlined(schema.getItems(), schemas));
        }
    }

    /**
     * {@code property} itself, or, when it is a nullable reference (SmallRye's model holds it as
     * {@code anyOf: [$ref, {type: null}]}) to a simple schema or a plain object (an alert's {@code recruitment}), that
     * schema inline with null allowed: OpenAPI 3.0 cannot make a {@code $ref} nullable.
     */
    private static Schema inlined(Schema property, Map<String, Schema> schemas) {
        List<Schema> anyOf = property.getAnyOf();
        if (anyOf == null || anyOf.size() != 2) {
            return property;
        }
        Schema reference = anyOf.stream().filter(s -> s.getRef() != null).findFirst().orElse(null);
        boolean orNull = anyOf.stream().anyMatch(s -> s.getRef() == null
                && List.of(Schema.SchemaType.NULL).equals(s.getType()));
        if (reference == null || !orNull) {
            return property;
        }
        String ref = reference.getRef();
        Schema target = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
        if (target == null || target.getAllOf() != null || target.getType() == null) {
            return property; // a composed schema stays a reference
        }
        Schema copy = OASFactory.createSchema();
        copy.setAll(new LinkedHashMap<>(target.getAll()));
        List<Schema.SchemaType> types = new ArrayList<>(target.getType());
        types.add(Schema.SchemaType.NULL);
        copy.setType(types);
        if (property.getDescription() != null) {
            copy.setDescription(property.getDescription());
        }
        return copy;
    }

    /** The one Problem schema (RFC 9457 plus code, requestId and errors), as {@link Problem} serialises it. */
    private static void defineProblem(Components components) {
        Map<String, Schema> fieldError = new LinkedHashMap<>();
        fieldError.put("field", string("the JSON path of the field, or the parameter's name"));
        fieldError.put("message", string("what is wrong with it"));
        components.addSchema(FIELD_ERROR, OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("One rejected input field").properties(fieldError)
                .required(List.of("field", "message")));
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", string("a URI naming the kind of problem"));
        properties.put("title", string("a short summary of the kind of problem"));
        properties.put("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                .description("the HTTP status"));
        properties.put("detail", string("what went wrong with this request"));
        properties.put("instance", string("the request's path"));
        properties.put("code", string("the stable UPPER_SNAKE code, e.g. DIN_INVALID"));
        properties.put("requestId", string("the request id (X-Request-Id) to quote"));
        properties.put("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                .description("every rejected field, for validation failures")
                .items(OASFactory.createSchema().ref(FIELD_ERROR)));
        components.addSchema(PROBLEM, OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem (application/problem+json)").properties(properties)
                .required(List.of("type", "title", "status", "code")));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
