package io.hemolink.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.hemolink.common.problem.ApiException;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Reading a resource from a request body, strictly. */
public final class FhirInput {

    private FhirInput() {
    }

    /**
     * Reads a resource of {@code type} from a request body, strictly: malformed JSON, an unknown element, a value that
     * is not of its element's type or another resource type is 400 {@code FHIR_RESOURCE_INVALID}, naming what HAPI's
     * parser found.
     */
    public static <T extends IBaseResource> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("FHIR_RESOURCE_INVALID", "the request has no resource");
        }
        IParser parser = Fhir.context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        IBaseResource parsed;
        try {
            parsed = parser.parseResource(body);
        } catch (DataFormatException | ClassCastException | IllegalArgumentException | IllegalStateException e) {
            throw ApiException.badRequest("FHIR_RESOURCE_INVALID", "not a valid FHIR R5 JSON resource: " + reason(e));
        }
        if (!type.isInstance(parsed)) {
            throw ApiException.badRequest("FHIR_RESOURCE_INVALID", "expected a " + Fhir.context().getResourceType(type)
                    + ", got a " + Fhir.context().getResourceType(parsed));
        }
        return type.cast(parsed);
    }

    /** HAPI's message without the HAPI-xxxx prefix or a Java class name. */
    private static String reason(RuntimeException e) {
        String m = e.getMessage() == null ? "unreadable" : e.getMessage();
        m = m.replaceFirst("^HAPI-\\d+: ", "");
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
