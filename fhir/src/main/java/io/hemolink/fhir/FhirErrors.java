package io.hemolink.fhir;

import io.hemolink.common.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * On the facade's paths ({@code /fhir/...}) every problem the shared runtime answers (common's ProblemMappers: a
 * refused token, a role that may not, a rule of the domain, another tenant's resource, bad input) goes out as an
 * OperationOutcome in {@code application/fhir+json} with the same status and code, so the error mapping stays
 * written once.
 */
@Provider
public class FhirErrors implements ContainerResponseFilter {

    static final String PREFIX = "fhir/";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem) || !onFacade(request.getUriInfo().getPath())) {
            return;
        }
        response.setEntity(Fhir.json(outcome(problem)), response.getEntityAnnotations(),
                MediaType.valueOf(Fhir.MEDIA_TYPE));
    }

    public static org.hl7.fhir.r5.model.OperationOutcome outcome(Problem p) {
        return OperationOutcomes.of(p.status(), p.code(), p.title(), p.detail(), p.errors() == null ? null
                : p.errors().stream().map(f -> new OperationOutcomes.Field(f.field(), f.message())).toList());
    }

    static boolean onFacade(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.startsWith(PREFIX);
    }
}
