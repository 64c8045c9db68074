package io.hemolink.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The one R5 {@link FhirContext} of a process (building one scans the model and costs memory: ADR 0032 has the
 * figure) and its JSON writer. A parser is cheap and not thread-safe, so each call takes a new one. Nothing here needs
 * services/common, so the gateway uses it too (reading requests is {@link FhirInput}'s).
 */
public final class Fhir {

    /** {@code application/fhir+json}: what the facade answers and reads. */
    public static final String MEDIA_TYPE = "application/fhir+json";

    /** The FHIR version the facade speaks. */
    public static final String VERSION = "5.0.0";

    private static final FhirContext CONTEXT = FhirContext.forR5Cached();

    private Fhir() {
    }

    public static FhirContext context() {
        return CONTEXT;
    }

    /** The resource as FHIR JSON. */
    public static String json(IBaseResource resource) {
        return CONTEXT.newJsonParser().encodeResourceToString(resource);
    }
}
