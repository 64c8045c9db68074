package io.hemolink.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/audit}: the audit trails of every service merged newest first, with the caller's token (each
 * service checks the station's roles itself). The cursor holds each service's own cursor, so paging through the
 * merged trail sees every entry once. A service that does not answer is named in {@code unavailable} and the others
 * are still listed; an answer refusing the call (401, 403, 4xx) is passed on as it is.
 */
@ApplicationScoped
public class AuditAggregate {

    private static final Logger LOG = Logger.getLogger(AuditAggregate.class);
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final List<String> FILTERS = List.of("actor", "locationId", "from", "to");

    /** One service's answer: 200 with its page, another status with its body, or unreachable (status 0). */
    record Answer(String service, int status, Buffer body) {
    }

    @jakarta.inject.Inject
    Upstreams upstreams;

    void register(@Observes Router router, Vertx vertx, GatewayConfig config) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout(10));
        router.get("/api/v1/audit").order(-1).handler(rc -> {
            int limit;
            JsonObject cursors;
            try {
                limit = limit(rc.request().getParam("limit"));
                cursors = cursors(rc.request().getParam("cursor"));
            } catch (IllegalArgumentException e) {
                boolean badLimit = e.getMessage().startsWith("limit");
                GatewayGuard.problem(rc, badLimit ? 422 : 400, badLimit ? "INVALID_VALUE" : "CURSOR_INVALID",
                        badLimit ? "Invalid value" : "Bad request", e.getMessage());
                return;
            }
            List<Future<Answer>> asks = new ArrayList<>();
            for (Map.Entry<String, GatewayConfig.Route> e : config.routes().entrySet()) {
                String service = e.getKey();
                if (cursors.containsKey(service) && cursors.getString(service) == null) {
                    continue; // this service's trail was read to its end
                }
                asks.add(ask(upstreams, client, service, rc, limit, cursors.getString(service)));
            }
            Future.join(asks).onComplete(done -> answer(rc, asks, cursors, limit));
        });
    }

    private static Future<Answer> ask(Upstreams upstreams, HttpClient client, String service, RoutingContext rc,
                                      int limit, String cursor) {
        StringBuilder uri = new StringBuilder("/api/v1/audit?limit=").append(limit);
        MultiMap params = rc.request().params();
        for (String f : FILTERS) {
            String v = params.get(f);
            if (v != null) {
                uri.append('&').append(f).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        if (cursor != null) {
            uri.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri.toString())
                .putHeader("Accept", "application/json")
                .putHeader(ProxyRoutes.REQUEST_ID, rc.request().getHeader(ProxyRoutes.REQUEST_ID));
        String authorization = rc.request().getHeader("Authorization");
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        return upstreams.request(service, client, options)
                .compose(req -> req.send())
                .compose(res -> res.body().map(body -> new Answer(service, res.statusCode(), body)))
                .recover(failure -> {
                    LOG.debugf("audit of %s not available: %s", service, failure.getMessage());
                    return Future.succeededFuture(new Answer(service, 0, null));
                });
    }

    private static void answer(RoutingContext rc, List<Future<Answer>> asks, JsonObject cursors, int limit) {
        List<String> services = new ArrayList<>();
        List<List<JsonObject>> pages = new ArrayList<>();
        JsonArray unavailable = new JsonArray();
        JsonObject next = cursors.copy();
        for (Future<Answer> f : asks) {
            Answer a = f.result();
            if (a.status() >= 400 && a.status() < 500) {
                // refused (the caller's roles, a bad filter): every service applies the same rules, so pass it on
                rc.response().setStatusCode(a.status())
                        .putHeader("Content-Type", "application/problem+json").end(a.body());
                return;
            }
            List<JsonObject> items = new ArrayList<>();
            try {
                if (a.status() != 200) {
                    throw new DecodeException("status " + a.status());
                }
                JsonObject page = new JsonObject(a.body());
                page.getJsonArray("items").forEach(item -> items.add((JsonObject) item));
                next.put(a.service(), page.getString("nextCursor")); // null: read to its end
            } catch (DecodeException | ClassCastException | NullPointerException e) {
                unavailable.add(a.service());
                continue;
            }
            services.add(a.service());
            pages.add(items);
        }
        // merge newest first, keeping each service's own order, so that its cursor stays exact
        List<JsonObject> merged = new ArrayList<>();
        int[] heads = new int[pages.size()];
        while (merged.size() < limit) {
            int pick = -1;
            for (int i = 0; i < pages.size(); i++) {
                if (heads[i] < pages.get(i).size() && (pick < 0 || at(pages.get(i).get(heads[i]))
                        .isAfter(at(pages.get(pick).get(heads[pick]))))) {
                    pick = i;
                }
            }
            if (pick < 0) {
                break;
            }
            merged.add(pages.get(pick).get(heads[pick]++));
        }
        for (int i = 0; i < pages.size(); i++) {
            if (heads[i] < pages.get(i).size()) {
                // entries of this service were left out: go on after its last one shown, or where it stood
                String resume = heads[i] > 0 ? pages.get(i).get(heads[i] - 1).getString("cursor")
                        : cursors.getString(services.get(i));
                if (resume == null) {
                    next.remove(services.get(i)); // from its start
                } else {
                    next.put(services.get(i), resume);
                }
            }
        }
        boolean more = false;
        for (int i = 0; i < pages.size(); i++) {
            more |= heads[i] < pages.get(i).size() || next.getString(services.get(i)) != null;
        }
        JsonObject body = new JsonObject().put("items", new JsonArray(new ArrayList<>(merged)))
                .put("nextCursor", more ? encode(next) : null);
        if (!unavailable.isEmpty()) {
            body.put("unavailable", unavailable);
        }
        rc.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static Instant at(JsonObject entry) {
        return Instant.parse(entry.getString("at"));
    }

    static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }

    /** The services' cursors: a service present with null has been read to its end. */
    static JsonObject cursors(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException e) {
            throw new IllegalArgumentException("the cursor is not one the gateway handed out");
        }
    }

    static String encode(JsonObject cursors) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursors.encode().getBytes(StandardCharsets.UTF_8));
    }
}
