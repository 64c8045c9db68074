package io.hemolink.inventory.fhir;

import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.security.Roles;
import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.FhirSearch;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitMovement;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /fhir/r5/BiologicallyDerivedProductDispense} (api.md, "FHIR R5 facade"): the ledger's transfusions (issues
 * to patients at storage points and TRANSFUSED fates), read and searched by {@code product} and {@code patient}, with
 * the tenancy of {@code GET /units/...}: the station sees every one, a hospital or storage point those at its own
 * location; another's is 404. Served by the inventory, which holds both kinds (ADR 0032). Not in the service's
 * OpenAPI: the CapabilityStatement describes it.
 */
@Path("/fhir/r5/" + DispenseMapping.TYPE)
@Produces({Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class DispenseResource {

    /** {@code patient} takes the patient reference: {@code patient:identifier} (or chained {@code patient.identifier}). */
    private static final Set<String> PARAMETERS = Set.of("product", "patient", "patient:identifier",
            "patient.identifier");

    @Inject
    Caller caller;

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public Response read(@PathParam("id") String id) {
        UnitMovement.Transfusion t = unit(id)
                .flatMap(u -> UnitMovement.transfusions(null, u.id, null, 0, 1).stream().findFirst())
                .filter(x -> caller.canAccess(x.movement().toLocationId))
                .orElseThrow(() -> ApiException.notFound(DispenseMapping.TYPE + "/" + id));
        return Response.ok(Fhir.json(DispenseMapping.toFhir(t, ownPatients(t))), Fhir.MEDIA_TYPE).build();
    }

    @GET
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public Response search(@Context UriInfo uri) {
        FhirSearch search = FhirSearch.of(uri, PARAMETERS);
        boolean none = false;
        Long unitId = null;
        List<String> products = search.references("product", ProductMapping.TYPE);
        if (products.size() > 1) {
            throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", "product takes one BiologicallyDerivedProduct");
        }
        if (products.size() == 1) {
            Optional<Unit> unit = unit(products.get(0));
            none = unit.isEmpty();
            unitId = unit.map(u -> u.id).orElse(null);
        }
        if (!search.references("patient", "Patient").isEmpty()) {
            throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", "the facade serves no Patient resources: name the"
                    + " patient by the location's own reference, patient:identifier=" + FhirSystems.PATIENT_REF
                    + "<location>|<reference>");
        }
        String patientRef = null;
        List<FhirSearch.Token> patients = new ArrayList<>(search.tokens("patient:identifier"));
        patients.addAll(search.tokens("patient.identifier"));
        if (patients.size() > 1) {
            throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", "patient:identifier takes one patient reference");
        }
        if (patients.size() == 1) {
            if (caller.isStation()) {
                // the station sees no patient reference, so it may not find dispenses by one either
                throw new ApiException(403, "PATIENT_REF_NOT_VISIBLE", "Forbidden",
                        "only the transfusing location searches by its patient references");
            }
            FhirSearch.Token t = patients.get(0);
            none |= !t.inSystem(FhirSystems.patientRefs(FhirSearch.tenancy(caller)));
            patientRef = t.code().strip();
        }
        int count = search.count();
        List<UnitMovement.Transfusion> page = none ? List.of() : UnitMovement.transfusions(
                FhirSearch.tenancy(caller), unitId, patientRef, search.afterId(), count + 1);
        String next = page.size() > count ? Long.toString(page.get(count - 1).movement().id) : null;
        var matches = page.stream().limit(count).map(t -> DispenseMapping.toFhir(t, ownPatients(t))).toList();
        return search.answer(matches, next);
    }

    private static Optional<Unit> unit(String productId) {
        return ProductMapping.key(productId).flatMap(k -> Unit.find(k.din(), k.component(), k.division()));
    }

    /** Whether the caller is the transfusing location, which alone sees the patient reference (as in a recall). */
    private boolean ownPatients(UnitMovement.Transfusion t) {
        return !caller.isStation() && t.movement().toLocationId.equals(caller.locationId());
    }
}
