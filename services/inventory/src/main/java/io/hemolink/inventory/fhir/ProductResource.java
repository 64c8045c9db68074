package io.hemolink.inventory.fhir;

import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.contracts.security.Roles;
import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.FhirSearch;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitRelease;
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

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /fhir/r5/BiologicallyDerivedProduct} (api.md, "FHIR R5 facade"): read and search units, with the tenancy of
 * {@code GET /units/...} (the station sees every unit, a hospital or storage point those it holds; another's is 404).
 * Not in the service's OpenAPI: the CapabilityStatement describes it (ADR 0032).
 */
@Path("/fhir/r5/" + ProductMapping.TYPE)
@Produces({Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ProductResource {

    private static final Set<String> PARAMETERS = Set.of("identifier", "product-category", "productCategory",
            "product-status", "productStatus");

    @Inject
    Caller caller;

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public Response read(@PathParam("id") String id) {
        Unit unit = ProductMapping.key(id)
                .flatMap(k -> Unit.find(k.din(), k.component(), k.division()))
                .filter(u -> caller.canAccess(u.locationId))
                .orElseThrow(() -> ApiException.notFound(ProductMapping.TYPE + "/" + id));
        return Response.ok(Fhir.json(ProductMapping.toFhir(unit)), Fhir.MEDIA_TYPE).build();
    }

    @GET
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public Response search(@Context UriInfo uri) {
        FhirSearch search = FhirSearch.of(uri, PARAMETERS);
        String din = null;
        List<FhirSearch.Token> identifiers = search.tokens("identifier");
        if (identifiers.size() > 1) {
            throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", "identifier takes one DIN");
        }
        boolean none = false;
        if (identifiers.size() == 1) {
            FhirSearch.Token t = identifiers.get(0);
            // another system's identifier names no unit; api.md's value is the DIN's 13 data characters, and the
            // eye-readable and scanned forms work too
            none = !t.inSystem(FhirSystems.DIN);
            if (!none) {
                String text = t.code().strip().toUpperCase(java.util.Locale.ROOT);
                din = UnitRelease.parseDin(text.matches("[A-Z0-9]{13}") ? text + Din.checkCharacter(text) : text)
                        .canonical();
            }
        }
        Set<Component> components = EnumSet.noneOf(Component.class);
        List<FhirSearch.Token> categories = search.tokens("product-category", "productCategory");
        for (FhirSearch.Token t : categories) {
            if (t.inSystem(FhirSystems.HL7_PRODUCT_CATEGORY)) {
                components.addAll(ProductMapping.components(t.code()));
            }
        }
        none |= !categories.isEmpty() && components.isEmpty();
        Set<UnitStatus> statuses = EnumSet.noneOf(UnitStatus.class);
        List<FhirSearch.Token> productStatuses = search.tokens("product-status", "productStatus");
        for (FhirSearch.Token t : productStatuses) {
            if (t.inSystem(FhirSystems.HL7_PRODUCT_STATUS)) {
                statuses.addAll(ProductMapping.statuses(t.code()));
            }
        }
        none |= !productStatuses.isEmpty() && statuses.isEmpty();

        int count = search.count();
        long after = search.afterId();
        List<Unit> page = none ? List.of() : Unit.search(din, components, statuses,
                FhirSearch.tenancy(caller), after, count + 1);
        String next = page.size() > count ? Long.toString(page.get(count - 1).id) : null;
        var matches = page.stream().limit(count).map(ProductMapping::toFhir).toList();
        return search.answer(matches, next);
    }
}
