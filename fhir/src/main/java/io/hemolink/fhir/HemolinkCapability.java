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
        cs.setDescription("Units as BiologicallyDerivedProduct, orders as SupplyRequest, between a regional blood "
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

        var request = resource(rest.addResource(), "SupplyRequest", "One order line; creating one places an order "
                        + "(Idempotency-Key honoured)", TypeRestfulInteraction.CREATE, TypeRestfulInteraction.READ,
                TypeRestfulInteraction.SEARCHTYPE);
        search(request, "requester", "SupplyRequest-requester", Enumerations.SearchParamType.REFERENCE,
                "the location that placed the order, e.g. Location/H001");
        search(request, "status", "SupplyRequest-status", Enumerations.SearchParamType.TOKEN,
                "active, completed or cancelled");
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
        r.addSearchParam().setName(name).setDefinition("http://hl7.org/fhir/SearchParameter/" + definition)
                .setType(type).setDocumentation(documentation);
    }
}
