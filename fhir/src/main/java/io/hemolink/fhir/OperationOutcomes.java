package io.hemolink.fhir;

import java.util.List;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;

/**
 * A problem (api.md's problem+json: status, stable code, detail, fields) as a FHIR OperationOutcome (a service's
 * come through {@link FhirErrors}, the gateway's own refusals directly): one error
 * issue for the problem, one more per field at fault; the code travels in {@code details.coding}
 * ({@link FhirSystems#PROBLEM}), so an integrator can branch on it exactly as on the REST API's {@code code}.
 */
public final class OperationOutcomes {

    private OperationOutcomes() {
    }

    /** One field at fault: a FHIRPath ({@code SupplyRequest.quantity}) or a REST body path, and what is wrong. */
    public record Field(String field, String message) {
    }

    public static OperationOutcome of(int status, String code, String title, String detail, List<Field> fields) {
        OperationOutcome outcome = new OperationOutcome();
        IssueType type = typeOf(status);
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type)
                .setDetails(details(code, title))
                .setDiagnostics(detail);
        if (fields != null) {
            for (Field f : fields) {
                var issue = outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type)
                        .setDetails(details(code, f.message()))
                        .setDiagnostics(f.field() + ": " + f.message());
                if (isFhirPath(f.field())) {
                    issue.addExpression(f.field());
                }
            }
        }
        return outcome;
    }

    /** The issue type for an HTTP status (FHIR's issue-type value set, required binding). */
    static IssueType typeOf(int status) {
        return switch (status) {
            case 400 -> IssueType.STRUCTURE;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404 -> IssueType.NOTFOUND;
            case 405, 406, 415 -> IssueType.NOTSUPPORTED;
            case 409 -> IssueType.CONFLICT;
            case 413 -> IssueType.TOOCOSTLY;
            case 422 -> IssueType.INVALID;
            case 429 -> IssueType.THROTTLED;
            case 503 -> IssueType.TRANSIENT;
            default -> status >= 500 ? IssueType.EXCEPTION : IssueType.PROCESSING;
        };
    }

    private static CodeableConcept details(String code, String text) {
        CodeableConcept c = new CodeableConcept();
        c.addCoding().setSystem(FhirSystems.PROBLEM).setCode(code);
        c.setText(text);
        return c;
    }

    /** A field named as a FHIRPath into the resource ({@code SupplyRequest.quantity}), not a REST body path. */
    private static boolean isFhirPath(String field) {
        return field != null && field.matches("[A-Z][A-Za-z]+(\\.[a-z][A-Za-z]*(\\[\\d+])?)+");
    }
}
