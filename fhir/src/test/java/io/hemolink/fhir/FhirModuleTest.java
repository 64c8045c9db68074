package io.hemolink.fhir;

import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.fhir.testing.FhirValidation;
import org.hl7.fhir.r5.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.SupplyRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared pieces serialise to resources HAPI's R5 validator accepts, and the strict reader refuses what it should. */
class FhirModuleTest {

    @Test
    void capabilityStatementIsValidR5AndListsWhatIsServed() {
        String json = Fhir.json(HemolinkCapability.statement("http://localhost:8080/fhir/r5"));
        FhirValidation.assertValid(json);
        var cs = FhirInput.read(json, org.hl7.fhir.r5.model.CapabilityStatement.class);
        assertEquals("5.0.0", cs.getFhirVersion().toCode());
        List<String> types = cs.getRestFirstRep().getResource().stream().map(r -> r.getType()).toList();
        assertEquals(List.of("BiologicallyDerivedProduct", "BiologicallyDerivedProductDispense", "SupplyRequest",
                "SupplyDelivery"), types);
        var dispense = cs.getRestFirstRep().getResource().get(1);
        assertEquals(List.of("product", "patient"), dispense.getSearchParam().stream().map(p -> p.getName()).toList());
        var delivery = cs.getRestFirstRep().getResource().get(3);
        assertEquals(List.of("based-on", "status"), delivery.getSearchParam().stream().map(p -> p.getName()).toList());
        assertTrue(delivery.getSearchParam().get(1).getDefinition().endsWith("/SupplyDelivery-status"));
    }

    @Test
    void problemBecomesValidOperationOutcomeWithItsCode() {
        Problem p = Problem.of(422, "DIN_INVALID", "Unprocessable request", "wrong check character",
                List.of(new Problem.FieldError("SupplyRequest.quantity", "must be positive"),
                        new Problem.FieldError("lines[0].quantity", "must be positive")));
        String json = Fhir.json(FhirErrors.outcome(p));
        FhirValidation.assertValid(json);
        OperationOutcome oo = FhirInput.read(json, OperationOutcome.class);
        assertEquals(3, oo.getIssue().size());
        assertEquals("DIN_INVALID", oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        assertEquals(OperationOutcome.IssueType.INVALID, oo.getIssueFirstRep().getCode());
        assertEquals("SupplyRequest.quantity", oo.getIssue().get(1).getExpression().get(0).getValue());
        assertTrue(oo.getIssue().get(2).getExpression().isEmpty(), "a REST body path is no FHIRPath");
        assertEquals(OperationOutcome.IssueType.NOTFOUND,
                OperationOutcomes.of(404, "NOT_FOUND", "Not found", "x", null).getIssueFirstRep().getCode());
    }

    @Test
    void emptySearchsetIsValid() {
        Bundle b = SearchBundles.searchset("http://h/fhir/r5", "http://h/fhir/r5/SupplyRequest?status=active",
                List.of(), null);
        FhirValidation.assertValid(Fhir.json(b));
        assertEquals(0, b.getTotal());
    }

    @Test
    void strictReaderRefusesUnknownElementsWrongTypesAndOtherResources() {
        var unknown = assertThrows(ApiException.class,
                () -> FhirInput.read("{\"resourceType\":\"SupplyRequest\",\"colour\":\"red\"}", SupplyRequest.class));
        assertEquals(400, unknown.status());
        assertEquals("FHIR_RESOURCE_INVALID", unknown.code());
        assertEquals(400, assertThrows(ApiException.class, () -> FhirInput.read("{not json", SupplyRequest.class)).status());
        assertEquals(400, assertThrows(ApiException.class,
                () -> FhirInput.read("{\"resourceType\":\"SupplyRequest\",\"quantity\":{\"value\":\"two\"}}",
                        SupplyRequest.class)).status());
        var other = assertThrows(ApiException.class,
                () -> FhirInput.read("{\"resourceType\":\"BiologicallyDerivedProduct\"}", SupplyRequest.class));
        assertTrue(other.getMessage().contains("expected a SupplyRequest"), other.getMessage());
        assertEquals(400, assertThrows(ApiException.class, () -> FhirInput.read(" ", SupplyRequest.class)).status());
        BiologicallyDerivedProduct ok = FhirInput.read("{\"resourceType\":\"BiologicallyDerivedProduct\",\"division\":\"A\"}",
                BiologicallyDerivedProduct.class);
        assertEquals("A", ok.getDivision());
    }
}
