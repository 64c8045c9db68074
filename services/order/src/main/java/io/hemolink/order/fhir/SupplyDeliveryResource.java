package io.hemolink.order.fhir;

import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.security.Roles;
import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.FhirSearch;
import io.hemolink.fhir.FhirSystems;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.BloodOrderLine;
import io.hemolink.order.domain.IssueNote;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /fhir/r5/SupplyDelivery} (api.md, "FHIR R5 facade"): a dispatch and its receipt, read and searched by
 * {@code basedOn} (the SupplyRequest, one order line) and {@code status}, with the tenancy of {@code GET /orders/{id}}
 * (the station sees every delivery, a hospital or storage point its own; another's is 404). Not in the service's
 * OpenAPI: the CapabilityStatement describes it (ADR 0032).
 */
@Path("/fhir/r5/" + SupplyDeliveryMapping.TYPE)
@Produces({Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class SupplyDeliveryResource {

    private static final Set<String> PARAMETERS = Set.of("based-on", "basedOn", "status");

    @Inject
    Caller caller;

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR,
            Roles.STATION_DISPATCHER})
    public Response read(@PathParam("id") String id) {
        IssueNote.Dispatch d = IssueNote.dispatch(id);
        if (d == null || !caller.canAccess(d.note().locationId)) {
            throw ApiException.notFound(SupplyDeliveryMapping.TYPE + "/" + id);
        }
        return Response.ok(Fhir.json(SupplyDeliveryMapping.toFhir(d)), Fhir.MEDIA_TYPE).build();
    }

    @GET
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR,
            Roles.STATION_DISPATCHER})
    public Response search(@Context UriInfo uri) {
        FhirSearch search = FhirSearch.of(uri, PARAMETERS);
        // basedOn: the orders whose line is named and carried bags (an id that names no line names no delivery)
        Set<String> orders = null;
        List<String> requests = new java.util.ArrayList<>(search.references("based-on", SupplyRequestMapping.TYPE));
        requests.addAll(search.references("basedOn", SupplyRequestMapping.TYPE));
        if (!requests.isEmpty()) {
            orders = new LinkedHashSet<>();
            for (String request : requests) {
                var key = SupplyRequestMapping.key(request);
                BloodOrder o = key.isEmpty() ? null : BloodOrder.<BloodOrder>find("id", key.get().orderId()).firstResult();
                BloodOrderLine line = o == null ? null : o.line(key.get().lineNo());
                if (line != null && !line.units.isEmpty()) {
                    orders.add(o.id);
                }
            }
        }
        Set<IssueNote.Delivery> deliveries = EnumSet.noneOf(IssueNote.Delivery.class);
        List<FhirSearch.Token> codes = search.tokens("status");
        for (FhirSearch.Token t : codes) {
            if (t.inSystem(FhirSystems.HL7_SUPPLY_DELIVERY_STATUS)) {
                deliveries.addAll(SupplyDeliveryMapping.deliveries(t.code()));
            }
        }
        boolean none = (orders != null && orders.isEmpty()) || (!codes.isEmpty() && deliveries.isEmpty());
        int count = search.count();
        List<IssueNote.Dispatch> page = none ? List.of() : IssueNote.search(FhirSearch.tenancy(caller),
                orders, deliveries, search.position(), count + 1);
        String next = page.size() > count ? page.get(count - 1).note().no : null;
        var matches = page.stream().limit(count).map(SupplyDeliveryMapping::toFhir).toList();
        return search.answer(matches, next);
    }
}
