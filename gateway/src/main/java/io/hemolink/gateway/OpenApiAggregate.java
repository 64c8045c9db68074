package io.hemolink.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /openapi}: the OpenAPI documents of every service behind the gateway merged into one (paths and
 * components; a component name two services use differently is prefixed with the service's name), fetched live from
 * each service's {@code /q/openapi} and kept for a minute. A service that does not answer is listed under
 * {@code x-hemolink-unavailable} and the rest is still served. Swagger UI ({@code /q/swagger-ui}) shows it.
 */
@ApplicationScoped
public class OpenApiAggregate {

    private static final Logger LOG = Logger.getLogger(OpenApiAggregate.class);
    private static final long CACHE_MILLIS = 60_000;

    private volatile JsonObject cached;
    private volatile long cachedAt;

    @jakarta.inject.Inject
    Upstreams upstreams;

    void register(@Observes Router router, Vertx vertx, GatewayConfig config) {
        HttpClient client = vertx.createHttpClient();
        router.get("/openapi").handler(rc -> {
            JsonObject now = cached;
            if (now != null && System.currentTimeMillis() - cachedAt < CACHE_MILLIS) {
                rc.response().putHeader("Content-Type", "application/json").end(now.encode());
                return;
            }
            List<Future<JsonObject>> fetches = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, GatewayConfig.Route> e : config.routes().entrySet()) {
                names.add(e.getKey());
                fetches.add(fetch(upstreams, client, e.getKey()));
            }
            Future.join(fetches).onComplete(done -> {
                JsonObject merged = base();
                JsonArray unavailable = new JsonArray();
                for (int i = 0; i < names.size(); i++) {
                    Future<JsonObject> f = fetches.get(i);
                    if (f.succeeded()) {
                        merge(merged, names.get(i), f.result());
                    } else {
                        LOG.debugf("OpenAPI of %s not available: %s", names.get(i), f.cause().getMessage());
                        unavailable.add(names.get(i));
                    }
                }
                if (!unavailable.isEmpty()) {
                    merged.put("x-hemolink-unavailable", unavailable);
                } else {
                    cached = merged;
                    cachedAt = System.currentTimeMillis();
                }
                rc.response().putHeader("Content-Type", "application/json").end(merged.encode());
            });
        });
    }

    private static Future<JsonObject> fetch(Upstreams upstreams, HttpClient client, String service) {
        return upstreams.request(service, client, new io.vertx.core.http.RequestOptions().setMethod(HttpMethod.GET)
                        .setURI("/q/openapi?format=json"))
                .compose(req -> req.putHeader("Accept", "application/json").send())
                .compose(res -> res.statusCode() == 200 ? res.body()
                        : Future.failedFuture("status " + res.statusCode()))
                .map(buffer -> new JsonObject(buffer.toString()));
    }

    static JsonObject base() {
        return new JsonObject()
                .put("openapi", "3.0.3")
                .put("info", new JsonObject().put("title", "Hemolink API").put("version", "1")
                        .put("description", "Every service's API as served through the gateway (api.md)."))
                .put("paths", new JsonObject())
                .put("components", new JsonObject())
                .put("tags", new JsonArray());
    }

    /** Adds one service's document to {@code merged}, renaming its components that clash with different content. */
    static void merge(JsonObject merged, String service, JsonObject spec) {
        JsonObject target = merged.getJsonObject("components");
        JsonObject theirs = spec.getJsonObject("components", new JsonObject());
        Map<String, String> renames = new HashMap<>();
        String text = spec.encode();
        for (String kind : theirs.fieldNames()) {
            JsonObject existing = target.getJsonObject(kind, new JsonObject());
            for (String name : theirs.getJsonObject(kind).fieldNames()) {
                if (existing.containsKey(name) && !existing.getValue(name).equals(theirs.getJsonObject(kind).getValue(name))) {
                    String renamed = prefix(service) + name;
                    renames.put(kind + "/" + name, renamed);
                    text = text.replace("\"#/components/" + kind + "/" + name + "\"",
                            "\"#/components/" + kind + "/" + renamed + "\"");
                }
            }
        }
        JsonObject rewritten = new JsonObject(text);
        JsonObject components = rewritten.getJsonObject("components", new JsonObject());
        for (String kind : components.fieldNames()) {
            JsonObject into = target.getJsonObject(kind);
            if (into == null) {
                into = new JsonObject();
                target.put(kind, into);
            }
            for (String name : components.getJsonObject(kind).fieldNames()) {
                into.put(renames.getOrDefault(kind + "/" + name, name), components.getJsonObject(kind).getValue(name));
            }
        }
        JsonObject paths = merged.getJsonObject("paths");
        JsonObject servicePaths = rewritten.getJsonObject("paths", new JsonObject());
        for (String path : servicePaths.fieldNames()) {
            JsonObject operations = paths.getJsonObject(path, new JsonObject());
            operations.mergeIn(servicePaths.getJsonObject(path));
            operations.forEach(o -> rateLimited(o.getValue()));
            paths.put(path, operations);
        }
        JsonArray tags = merged.getJsonArray("tags");
        for (Object tag : rewritten.getJsonArray("tags", new JsonArray())) {
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
    }

    /** Through the gateway every operation may also be refused with 429 RATE_LIMITED (ADR 0012), which only it answers. */
    private static void rateLimited(Object operation) {
        if (!(operation instanceof JsonObject op) || !(op.getValue("responses") instanceof JsonObject responses)
                || responses.containsKey("429")) {
            return;
        }
        responses.put("429", new JsonObject()
                .put("description", "RATE_LIMITED: the caller is over its rate limit; retry after Retry-After seconds")
                .put("headers", new JsonObject().put("Retry-After", new JsonObject()
                        .put("description", "seconds to wait before trying again")
                        .put("schema", new JsonObject().put("type", "integer"))))
                .put("content", new JsonObject().put("application/problem+json", new JsonObject()
                        .put("schema", new JsonObject().put("$ref", "#/components/schemas/Problem")))));
    }

    private static String prefix(String service) {
        StringBuilder b = new StringBuilder();
        for (String part : service.split("-")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.append('_').toString();
    }
}
