package io.hemolink.gateway;

import io.smallrye.config.ConfigMapping;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code hemolink.gateway.*}: which service owns which top-level path under {@code /api/v1}, and the callers' rate
 * limits. For example
 * {@code hemolink.gateway.routes.inventory.url=http://localhost:8081} and
 * {@code hemolink.gateway.routes.inventory.paths=units,stock,alerts}.
 */
@ConfigMapping(prefix = "hemolink.gateway")
public interface GatewayConfig {

    Map<String, Route> routes();

    RateLimit rateLimit();

    /** The dispatch dashboard served at {@code /}: where it logs in. */
    Web web();

    interface Web {
        /** The Keycloak realm's URL (the OIDC issuer) the dashboard logs in at. */
        String issuer();

        /** The dashboard's public OIDC client (authorization code + PKCE). */
        @io.smallrye.config.WithDefault("hemolink-web")
        String clientId();

        /**
         * The region's wastage rate the station aims to stay under (wasted ÷ issued), drawn on the dashboard's
         * wastage page; 1 % by default (a discard rate a well-run station reports).
         */
        @io.smallrye.config.WithDefault("0.01")
        double wastageTarget();
    }

    /**
     * Requests each caller (client and user, from the token's {@code azp} and subject) may make: a token bucket of
     * {@code burst} refilled at {@code per-second}; {@code clients.<client-id>.*} overrides both for one client.
     */
    interface RateLimit {
        @io.smallrye.config.WithDefault("true")
        boolean enabled();

        @io.smallrye.config.WithDefault("50")
        double perSecond();

        @io.smallrye.config.WithDefault("200")
        int burst();

        Map<String, Client> clients();

        interface Client {
            double perSecond();

            int burst();
        }
    }

    interface Route {
        /**
         * The service's base URL (scheme, host, port), or the URLs of each of its instances, comma-separated
         * ({@code up.sh --replicas}); the gateway spreads calls across them (Upstreams).
         */
        List<URI> url();

        /** The first path segments under /api/v1 that the service owns. */
        List<String> paths();

        /** The FHIR resource types under /fhir/r5 that the service serves (ADR 0032); none by default. */
        java.util.Optional<List<String>> fhirTypes();
    }
}
