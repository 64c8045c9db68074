package io.hemolink.fhir;

import io.hemolink.common.problem.Problem;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;

/**
 * A problem (api.md's problem+json: status, stable code, detail, fields) as a FHIR OperationOutcome: one error
 * issue for the problem, one more per field at fault; the code travels in {@code details.coding}
 * ({@link FhirSystems#PROBLEM}), so an integrator can branch on it exactly as on the REST API's {@code code}.
 */
public final class OperationOutcomes {

    private OperationOutcomes() {
    }

    public static OperationOutcome of(Problem problem) {
        OperationOutcome outcome = new OperationOutcome();
        IssueType type = typeOf(problem.status());
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type)
                .setDetails(details(problem.code(), problem.title()))
                .setDiagnostics(problem.detail());
        if (problem.errors() != null) {
            for (Problem.FieldError f : problem.errors()) {
                var issue = outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type)
                        .setDetails(details(problem.code(), f.message()))
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
