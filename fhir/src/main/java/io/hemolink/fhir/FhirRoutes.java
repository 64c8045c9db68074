package io.hemolink.fhir;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A service's JAX-RS resources live under {@code quarkus.rest.path} ({@code /api/v1}); the facade's public paths are
 * {@code /fhir/r5/...}, the same on the service as through the gateway. This reroutes them to the resources (the
 * same request, same headers and token) so the shared runtime (tokens, problems, audit, input limits) serves them
 * as any other call. Inert where there is no REST root path (the gateway).
 */
@ApplicationScoped
public class FhirRoutes {

    @ConfigProperty(name = "quarkus.rest.path", defaultValue = "/")
    String restPath;

    void register(@Observes Router router) {
        String root = restPath.endsWith("/") ? restPath.substring(0, restPath.length() - 1) : restPath;
        if (root.isEmpty()) {
            return;
        }
        router.route("/fhir/*").order(-20).handler(rc -> rc.reroute(root + rc.request().uri()));
    }
}
