package io.hemolink.gateway;

import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.HemolinkCapability;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /fhir/r5/metadata}: the facade's CapabilityStatement, answered by the gateway without a token (ADR 0032);
 * every other {@code /fhir/r5/<Type>} path goes to the service serving the type (ProxyRoutes).
 */
final class FhirFacade {

    private FhirFacade() {
    }

    static void metadata(RoutingContext rc) {
        String base = rc.request().scheme() + "://" + rc.request().authority() + "/fhir/r5";
        rc.response().putHeader("Content-Type", Fhir.MEDIA_TYPE)
                .end(Fhir.json(HemolinkCapability.statement(base)));
    }
}
