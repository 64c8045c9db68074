package io.hemolink.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;

/**
 * The dispatch dashboard: static files from {@code META-INF/resources} served at {@code /} (no token needed; every
 * {@code /api/v1} call it makes carries one), {@code GET /config.json} telling it where to log in (and the wastage target it draws), and a
 * Content-Security-Policy on its pages that allows only this origin and the identity provider's (token calls, the
 * login form). Swagger UI ({@code /q/*}) and the API keep their own headers.
 */
@ApplicationScoped
public class WebDashboard {

    void register(@Observes Router router, GatewayConfig config) {
        String issuer = config.web().issuer();
        String csp = contentSecurityPolicy(issuer);
        String body = new JsonObject().put("issuer", issuer).put("clientId", config.web().clientId())
                .put("wastageTarget", config.web().wastageTarget()).encode();
        router.routeWithRegex("/(?!api/|q/|openapi).*").order(-300).handler(rc -> {
            HttpMethod m = rc.request().method();
            if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
                rc.response().putHeader("Content-Security-Policy", csp)
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("Referrer-Policy", "no-referrer")
                        .putHeader("X-Frame-Options", "DENY");
            }
            rc.next();
        });
        router.get("/config.json").handler(rc -> rc.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body));
    }

    /** Only this origin, plus the identity provider's for the token calls and the login form. */
    static String contentSecurityPolicy(String issuer) {
        String idp = origin(issuer);
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "font-src 'self'; connect-src 'self'" + idp + "; form-action 'self'" + idp + "; "
                + "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
    }

    private static String origin(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return "";
            }
            return " " + u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
