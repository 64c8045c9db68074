package io.hemolink.fhir.testing;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.hemolink.fhir.Fhir;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * HAPI's {@link FhirInstanceValidator} over the FHIR R5 core definitions (hapi-fhir-validation-resources-r5, offline),
 * for every resource a facade test receives. Built once per test JVM: its first run loads the core package.
 * <p>
 * What fails (ADR 0032): every ERROR and FATAL message, and every WARNING except those {@link #tolerated} names: our
 * own code systems and ISBT 128's cannot be resolved offline (the validator says so), and the best-practice advice
 * that a resource should carry a narrative (dom-6), which the facade does not generate.
 */
public final class FhirValidation {

    private static final FhirValidator VALIDATOR = build();
    private static final AtomicInteger VALIDATED = new AtomicInteger();

    private FhirValidation() {
    }

    private static FhirValidator build() {
        var ctx = Fhir.context();
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new SnapshotGeneratingValidationSupport(ctx));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(false);
        FhirValidator validator = ctx.newValidator();
        validator.registerValidatorModule(module);
        return validator;
    }

    /**
     * Validates the resource as served (its JSON text) and fails, listing them, on any message that is not
     * {@link #tolerated}; returns every message, for a test that wants to see the tolerated ones too.
     */
    public static List<SingleValidationMessage> assertValid(String json) {
        ValidationResult result;
        synchronized (VALIDATOR) {
            result = VALIDATOR.validateWithResult(json);
        }
        VALIDATED.incrementAndGet();
        List<SingleValidationMessage> failing = result.getMessages().stream().filter(m -> !tolerated(m)).toList();
        if (!failing.isEmpty()) {
            throw new AssertionError("the FHIR R5 validator refuses the resource:\n"
                    + failing.stream().map(FhirValidation::describe).collect(Collectors.joining("\n"))
                    + "\n" + json);
        }
        return result.getMessages();
    }

    /** How many resources this JVM validated (a test can show it validated what it served). */
    public static int validated() {
        return VALIDATED.get();
    }

    /** INFORMATION always; a WARNING only about our own or ISBT 128's code systems, or a missing narrative. */
    static boolean tolerated(SingleValidationMessage m) {
        ResultSeverityEnum s = m.getSeverity();
        if (s == ResultSeverityEnum.INFORMATION) {
            return true;
        }
        if (s != ResultSeverityEnum.WARNING) {
            return false;
        }
        String text = m.getMessage() == null ? "" : m.getMessage();
        return text.contains("https://hemolink.io/fhir/") || text.contains("https://www.isbt128.org/")
                || text.contains("dom-6");
    }

    public static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage()
                + (m.getMessageId() == null ? "" : " [" + m.getMessageId() + "]");
    }
}
