package io.hemolink.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.UUID;

/**
 * Routes {@code /api/v1/<segment>/**} to the service that owns the segment (and {@code /fhir/r5/<Type>/**} to the one
 * serving that FHIR resource type), with Vert.x's reverse proxy: bodies are
 * streamed both ways (so {@code text/event-stream} passes through as it is produced) and the caller's bearer token is
 * passed on, because every service checks it again. Tokens are checked here first (see application.properties), so
 * a request without a valid one never reaches a service. Every request carries an {@code X-Request-Id}, and the
 * trace context of the gateway's span of it (a caller's {@code traceparent} continued, ADR 0031).
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    static final String REQUEST_ID = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    /**
     * The caller's {@code traceparent}/{@code tracestate} are not copied onto the proxied request (ADR 0031): the
     * gateway continues the caller's trace in its own span, and the traced HTTP client writes the trace context of its
     * span of the proxied call (same trace id, the caller's tracestate), so the service gets exactly one traceparent,
     * whose parent is the gateway, not two competing ones.
     */
    static final ProxyInterceptor TRACE_CONTEXT_FROM_THE_GATEWAY = new ProxyInterceptor() {
        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            context.request().headers().remove(TRACEPARENT).remove(TRACESTATE);
            return context.sendRequest();
        }
    };

    @jakarta.inject.Inject
    Upstreams upstreams;

    void register(@Observes Router router, Vertx vertx, GatewayConfig config) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(200)
                .setKeepAlive(true)
                .setConnectTimeout(2000)
                .setIdleTimeout(0));
        router.route("/api/v1/*").order(-10).handler(ProxyRoutes::requestId);
        router.route("/fhir/r5/*").order(-10).handler(ProxyRoutes::requestId);
        // the CapabilityStatement: before the token check (GatewayGuard, order -5), as FHIR clients read it first
        router.get("/fhir/r5/metadata").order(-6).handler(FhirFacade::metadata);
        for (Map.Entry<String, GatewayConfig.Route> e : config.routes().entrySet()) {
            GatewayConfig.Route route = e.getValue();
            String name = e.getKey();
            HttpProxy proxy = HttpProxy.reverseProxy(client).originRequestProvider((request, c) ->
                    upstreams.request(name, c, new RequestOptions().setMethod(request.method())
                            .setURI(request.uri())))
                    .addInterceptor(TRACE_CONTEXT_FROM_THE_GATEWAY);
            for (String segment : route.paths()) {
                router.routeWithRegex("/api/v1/" + java.util.regex.Pattern.quote(segment) + "(/.*)?")
                        .handler(rc -> proxy.handle(rc.request()));
            }
            LOG.infof("routing /api/v1/%s to %s (%s)", route.paths(), route.url(), e.getKey());
            for (String type : route.fhirTypes().orElse(java.util.List.of())) {
                router.routeWithRegex("/fhir/r5/" + java.util.regex.Pattern.quote(type) + "(/.*)?")
                        .handler(rc -> proxy.handle(rc.request()));
                LOG.infof("routing /fhir/r5/%s to %s (%s)", type, route.url(), e.getKey());
            }
        }
        router.route("/fhir/r5/*").handler(rc -> GatewayGuard.problem(rc, 404, "NOT_FOUND", "Not found",
                "the facade serves no " + rc.request().path()));
        router.route("/api/v1/*").handler(rc -> GatewayGuard.problem(rc, 404, "NOT_FOUND", "Not found",
                "no service serves " + rc.request().path()));
    }

    /** Every request carries an {@code X-Request-Id}: the caller's, or a new one. */
    private static void requestId(io.vertx.ext.web.RoutingContext rc) {
        String id = rc.request().getHeader(REQUEST_ID);
        if (id == null || id.isBlank() || id.length() > 100) {
            id = UUID.randomUUID().toString();
            rc.request().headers().set(REQUEST_ID, id);
        }
        rc.response().putHeader(REQUEST_ID, id);
        rc.next();
    }
}
