package io.hemolink.gateway;

import io.quarkus.oidc.OIDCException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The door of {@code /api/v1} and of the FHIR facade {@code /fhir/r5} (ADR 0032; {@code /fhir/r5/metadata} is open): a request needs a valid token of the realm (else 401 problem+json, or 503 when the
 * identity provider cannot be reached) and must be within its caller's rate limit (else 429 problem+json with
 * {@code Retry-After}). The router keeps the request paused while the token is checked, so the proxy still streams
 * the body whole.
 * Roles and tenancy are the services' to check: the gateway only keeps out who has no valid token at all.
 */
@ApplicationScoped
public class GatewayGuard {

    private static final Logger LOG = Logger.getLogger(GatewayGuard.class);

    private final RateLimiter limiter = new RateLimiter(System::nanoTime);
    /** Signing keys ({@code kid}) of tokens this gateway has accepted: a refused token with one of them is plainly bad. */
    private final java.util.Set<String> verifiedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private IdentityProviderProbe identityProvider;

    /** The services' limit (ADR 0021), checked here too so a body that would be refused is never forwarded. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "1M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize;

    void register(@Observes Router router, GatewayConfig config, io.vertx.core.Vertx vertx) {
        String issuer = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.oidc.auth-server-url", String.class).orElse(null);
        identityProvider = issuer == null ? null
                : new IdentityProviderProbe(vertx, issuer + "/.well-known/openid-configuration", System::nanoTime);
        // a declared body over the limit: 413 problem+json before the token is even looked at (a chunked one is
        // streamed to the service, which answers the same 413 over its own limit)
        for (String door : java.util.List.of("/api/v1/*", "/fhir/r5/*")) {
            guard(router, door, config);
        }
    }

    /** The door's checks on one path prefix: body size, then the token, then the rate limit. */
    private void guard(Router router, String door, GatewayConfig config) {
        router.route(door).order(-200).handler(rc -> {
            String length = rc.request().getHeader("Content-Length");
            long declared;
            try {
                declared = length == null ? 0 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > maxBodySize.asLongValue()) {
                rc.response().putHeader("Connection", "close");
                problem(rc, 413, "BODY_TOO_LARGE", "Content too large",
                        "a request body may have at most " + maxBodySize.asLongValue() + " bytes");
            } else {
                rc.next();
            }
        });
        // a token that is present but invalid fails authentication before any route: answered here as problem+json
        router.route(door).order(-100).failureHandler(rc -> {
            Throwable failure = rc.failure();
            if (failure instanceof io.quarkus.security.AuthenticationFailedException
                    || failure instanceof io.quarkus.security.AuthenticationCompletionException
                    || failure instanceof io.quarkus.security.UnauthorizedException) {
                if (causedBy(failure, OIDCException.class)) {
                    unavailable(rc, failure);
                } else {
                    refuse(rc, failure);
                }
            } else {
                rc.next();
            }
        });
        router.route(door).order(-5).handler(rc -> {
            if ("OPTIONS".equals(rc.request().method().name())) {
                rc.next(); // CORS preflight carries no token
                return;
            }
            Uni<SecurityIdentity> deferred = rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
            if (deferred == null) {
                problem(rc, 401, "UNAUTHORIZED", "Unauthorized", "a valid bearer token is required");
                return;
            }
            // the router holds the request paused until a handler reads it: the proxy reads it after the check
            deferred.subscribe().with(identity -> rc.vertx().runOnContext(v -> {
                if (identity == null || identity.isAnonymous()) {
                    problem(rc, 401, "UNAUTHORIZED", "Unauthorized", "a valid bearer token is required");
                    return;
                }
                remember(keyIdOf(rc));
                admit(rc, identity, config);
            }), failure -> rc.vertx().runOnContext(v -> {
                if (causedBy(failure, OIDCException.class)) {
                    unavailable(rc, failure);
                } else {
                    refuse(rc, failure);
                }
            }));
        });
    }

    /** A caller with a valid token: on to the service, unless it is over its rate limit (429 with Retry-After). */
    private void admit(RoutingContext rc, SecurityIdentity identity, GatewayConfig config) {
        if (config.rateLimit().enabled()) {
            String client = client(identity);
            long waitNanos = limiter.tryAcquire(client + "|" + identity.getPrincipal().getName(), limit(config, client));
            if (waitNanos > 0) {
                long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
                rc.response().putHeader("Retry-After", Long.toString(seconds));
                problem(rc, 429, "RATE_LIMITED", "Too many requests",
                        "the rate limit of client " + client + " is reached; retry after " + seconds + " s");
                return;
            }
        }
        rc.next();
    }

    /**
     * A token that failed its check: 401, unless it is signed with a key this gateway has never accepted a token with
     * and the identity provider does not answer. Then the key may be a new one (a rotation) that can only be fetched
     * from the provider: the token cannot be checked now, which is 503 AUTH_UNAVAILABLE, not 401.
     */
    private void refuse(RoutingContext rc, Throwable failure) {
        String kid = keyIdOf(rc);
        if (kid == null || verifiedKeys.contains(kid) || identityProvider == null) {
            problem(rc, 401, "UNAUTHORIZED", "Unauthorized", "a valid bearer token is required");
            return;
        }
        identityProvider.reachable().onComplete(r -> rc.vertx().runOnContext(v -> {
            if (r.succeeded() && !r.result()) {
                unavailable(rc, failure);
            } else {
                problem(rc, 401, "UNAUTHORIZED", "Unauthorized", "a valid bearer token is required");
            }
        }));
    }

    private void remember(String kid) {
        if (kid != null && verifiedKeys.size() < 64) { // a realm has a handful of keys; the bound only guards memory
            verifiedKeys.add(kid);
        }
    }

    /** The {@code kid} of the bearer token's JOSE header, or null when there is none or it is not a JWT. */
    static String keyIdOf(RoutingContext rc) {
        String token = io.hemolink.auth.BearerTokens.of(rc);
        if (token == null) {
            return null;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 4096) {
            return null;
        }
        try {
            JsonObject header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, dot)),
                    java.nio.charset.StandardCharsets.UTF_8));
            Object kid = header.getValue("kid");
            return kid instanceof String k && k.length() <= 256 ? k : null;
        } catch (RuntimeException notAJwt) {
            return null;
        }
    }

    private static void unavailable(RoutingContext rc, Throwable failure) {
        LOG.warnf("token check failed on %s, the identity provider cannot be reached (%s: %s): 503 AUTH_UNAVAILABLE",
                rc.request().path(), failure == null ? "-" : failure.getClass().getSimpleName(),
                failure == null ? "-" : failure.getMessage());
        rc.response().putHeader("Retry-After", "5");
        problem(rc, 503, "AUTH_UNAVAILABLE", "Service unavailable", "tokens cannot be checked right now; retry shortly");
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The OAuth client the token was issued to ({@code azp}), or "unknown". */
    private static String client(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object azp = jwt.getClaim("azp");
            if (azp != null) {
                return azp.toString();
            }
        }
        return "unknown";
    }

    private static RateLimiter.Limit limit(GatewayConfig config, String client) {
        GatewayConfig.RateLimit.Client own = config.rateLimit().clients().get(client);
        return own != null ? new RateLimiter.Limit(own.perSecond(), own.burst())
                : new RateLimiter.Limit(config.rateLimit().perSecond(), config.rateLimit().burst());
    }

    static void problem(RoutingContext rc, int status, String code, String title, String detail) {
        if (rc.response().ended()) {
            return;
        }
        String requestId = rc.request().getHeader(ProxyRoutes.REQUEST_ID);
        if (requestId == null) { // refused before the request-id handler ran
            requestId = java.util.UUID.randomUUID().toString();
            rc.response().putHeader(ProxyRoutes.REQUEST_ID, requestId);
        }
        if (rc.request().path().startsWith("/fhir/")) {
            // the facade's callers read OperationOutcome (ADR 0032), with the same status and code
            rc.response().setStatusCode(status).putHeader("Content-Type", io.hemolink.fhir.Fhir.MEDIA_TYPE)
                    .end(io.hemolink.fhir.Fhir.json(io.hemolink.fhir.OperationOutcomes.of(status, code, title, detail, null)));
            return;
        }
        rc.response().setStatusCode(status)
                .putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject()
                        .put("type", "https://hemolink.io/problems/" + code.toLowerCase().replace('_', '-'))
                        .put("title", title)
                        .put("status", status)
                        .put("detail", detail)
                        .put("code", code)
                        .put("instance", rc.request().path())
                        .put("requestId", requestId)
                        .encode());
    }
}
