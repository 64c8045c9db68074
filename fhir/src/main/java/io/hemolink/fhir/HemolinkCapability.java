package io.hemolink.fhir;

import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r5.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r5.model.Enumerations;

import java.util.Date;

/**
 * What the facade serves (api.md, "FHIR R5 facade"), as the CapabilityStatement of {@code GET /fhir/r5/metadata}.
 * One list for every owning service's resources: a resource is here once the service serving it has it.
 */
public final class HemolinkCapability {

    private static final Date PUBLISHED = new Date();

    private HemolinkCapability() {
    }

    public static CapabilityStatement statement(String baseUrl) {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setId("hemolink");
        cs.setUrl(baseUrl + "/metadata");
        cs.setName("HemolinkFhirR5");
        cs.setTitle("Hemolink FHIR R5 facade");
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(PUBLISHED);
        cs.setPublisher("Hemolink");
        cs.setDescription("Units as BiologicallyDerivedProduct, transfusions as BiologicallyDerivedProductDispense, order lines "
                + "as SupplyRequest, dispatches as SupplyDelivery, between a regional blood "
                + "station and its hospitals. Same bearer tokens and tenancy as /api/v1.");
        cs.setKind(Enumerations.CapabilityStatementKind.INSTANCE);
        cs.getImplementation().setDescription("Hemolink").setUrl(baseUrl);
        cs.setFhirVersion(Enumerations.FHIRVersion._5_0_0);
        cs.addFormat("json");
        cs.addFormat(Fhir.MEDIA_TYPE);
        var rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.getSecurity().setCors(true).setDescription("OAuth 2.0 bearer tokens of the Keycloak realm hemolink "
                + "(client credentials for a HIS); the token's location_id decides what a caller sees: another "
                + "location's resource is 404.");

        var product = resource(rest.addResource(), "BiologicallyDerivedProduct",
                "A unit (bag): DIN, component and division", TypeRestfulInteraction.READ,
                TypeRestfulInteraction.SEARCHTYPE);
        search(product, "identifier", "BiologicallyDerivedProduct-identifier", Enumerations.SearchParamType.TOKEN,
                "the DIN (13 characters, system " + FhirSystems.DIN + ")");
        search(product, "product-category", "BiologicallyDerivedProduct-product-category",
                Enumerations.SearchParamType.TOKEN, "cells or fluid (also accepted as productCategory)");
        search(product, "product-status", "BiologicallyDerivedProduct-product-status",
                Enumerations.SearchParamType.TOKEN, "available or unavailable (also accepted as productStatus)");

        var dispense = resource(rest.addResource(), "BiologicallyDerivedProductDispense",
                "A unit transfused: issued to a patient at a storage point, or a TRANSFUSED fate; its id is the "
                        + "product's", TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
        search(dispense, "product", "BiologicallyDerivedProductDispense-product", Enumerations.SearchParamType.REFERENCE,
                "the unit, e.g. BiologicallyDerivedProduct/G123498654321H-RBC.LR");
        search(dispense, "patient", "BiologicallyDerivedProductDispense-patient", Enumerations.SearchParamType.REFERENCE,
                "by the transfusing location's own patient reference, as patient:identifier=" + FhirSystems.PATIENT_REF
                        + "H001|MRN-0042 (no Patient resources are served; never a resident ID number)");

        var request = resource(rest.addResource(), "SupplyRequest", "One order line; creating one places an order "
                        + "(Idempotency-Key honoured)", TypeRestfulInteraction.CREATE, TypeRestfulInteraction.READ,
                TypeRestfulInteraction.SEARCHTYPE);
        search(request, "requester", "SupplyRequest-requester", Enumerations.SearchParamType.REFERENCE,
                "the location that placed the order, e.g. Location/H001");
        search(request, "status", "SupplyRequest-status", Enumerations.SearchParamType.TOKEN,
                "active, completed or cancelled");
        var delivery = resource(rest.addResource(), "SupplyDelivery", "A dispatch (issue note) and its receipt",
                TypeRestfulInteraction.READ, TypeRestfulInteraction.SEARCHTYPE);
        search(delivery, "based-on", null, Enumerations.SearchParamType.REFERENCE,
                "the SupplyRequest (an order line) delivered, e.g. SupplyRequest/{orderId}-1 (also accepted as basedOn)");
        search(delivery, "status", "SupplyDelivery-status", Enumerations.SearchParamType.TOKEN,
                "in-progress, completed or abandoned (every bag rejected at receipt)");
        return cs;
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatementRestResourceComponent r,
                                                                     String type, String documentation,
                                                                     TypeRestfulInteraction... interactions) {
        r.setType(type).setDocumentation(documentation);
        for (TypeRestfulInteraction i : interactions) {
            r.addInteraction().setCode(i);
        }
        return r;
    }

    private static void search(CapabilityStatementRestResourceComponent r, String name, String definition,
                               Enumerations.SearchParamType type, String documentation) {
        var param = r.addSearchParam().setName(name).setType(type).setDocumentation(documentation);
        if (definition != null) {
            // a search parameter of the R5 core; one without (SupplyDelivery's based-on) is our own
            param.setDefinition("http://hl7.org/fhir/SearchParameter/" + definition);
        }
    }
}
