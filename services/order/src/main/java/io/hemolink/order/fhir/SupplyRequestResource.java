package io.hemolink.order.fhir;

import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.security.Roles;
import io.hemolink.fhir.Fhir;
import io.hemolink.fhir.FhirInput;
import io.hemolink.fhir.FhirSearch;
import io.hemolink.order.api.OrderPlacement;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.BloodOrderLine;
import io.hemolink.order.domain.Orders;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.hl7.fhir.r5.model.SupplyRequest;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /fhir/r5/SupplyRequest} (api.md, "FHIR R5 facade"): create places an order of one line, exactly as
 * {@code POST /orders} (own location only, admission control, {@code Idempotency-Key}); read and search by
 * {@code requester} and {@code status} with the tenancy of {@code GET /orders} (another location's: 404). Not in
 * the service's OpenAPI: the CapabilityStatement describes it (ADR 0032).
 */
@Path("/fhir/r5/" + SupplyRequestMapping.TYPE)
@Produces({Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class SupplyRequestResource {

    private static final Set<String> PARAMETERS = Set.of("requester", "status");

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    OrderPlacement placement;

    @POST
    @Consumes({Fhir.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(hidden = true)
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR,
            Roles.STATION_DISPATCHER})
    public Response create(@HeaderParam(Idempotency.HEADER) String key, String body, @Context UriInfo uri) {
        SupplyRequest incoming = FhirInput.read(body, SupplyRequest.class);
        Orders.Submission submission = SupplyRequestMapping.submission(incoming);
        caller.requireOwnLocation(submission.locationId());
        // compared by the resource as HAPI reads it, so that formatting and element order do not count
        Response r = idempotency.run(key, "POST /fhir/r5/SupplyRequest", Fhir.json(incoming.setId((String) null)), () -> {
            BloodOrder o = placement.place(submission);
            BloodOrderLine line = o.lines.get(0);
            return Response.created(URI.create(FhirSearch.base(uri) + "/" + SupplyRequestMapping.TYPE + "/"
                            + SupplyRequestMapping.id(o, line)))
                    .entity(Fhir.json(SupplyRequestMapping.toFhir(o, line))).type(Fhir.MEDIA_TYPE).build();
        });
        // a replay answers the stored body as it was; it is FHIR JSON
        return Response.fromResponse(r).type(Fhir.MEDIA_TYPE).build();
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR,
            Roles.STATION_DISPATCHER})
    public Response read(@PathParam("id") String id) {
        var key = SupplyRequestMapping.key(id);
        BloodOrder o = key.isEmpty() ? null : BloodOrder.<BloodOrder>find("id", key.get().orderId()).firstResult();
        if (o == null || !caller.canAccess(o.locationId) || o.line(key.get().lineNo()) == null) {
            throw ApiException.notFound(SupplyRequestMapping.TYPE + "/" + id);
        }
        return Response.ok(Fhir.json(SupplyRequestMapping.toFhir(o, o.line(key.get().lineNo()))), Fhir.MEDIA_TYPE).build();
    }

    @GET
    @Transactional
    @Operation(hidden = true)
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR,
            Roles.STATION_DISPATCHER})
    public Response search(@Context UriInfo uri) {
        FhirSearch search = FhirSearch.of(uri, PARAMETERS);
        List<String> requesters = search.references("requester", "Location", "Organization");
        if (requesters.size() > 1) {
            throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", "requester takes one location");
        }
        // as ?locationId= on GET /orders (ADR 0020): the station any, anyone else its own (another: 403)
        String location = caller.locationFilter(requesters.isEmpty() ? null : requesters.get(0));
        Set<OrderStatus> statuses = EnumSet.noneOf(OrderStatus.class);
        List<FhirSearch.Token> codes = search.tokens("status");
        for (FhirSearch.Token t : codes) {
            if (t.inSystem("http://hl7.org/fhir/supplyrequest-status")) {
                statuses.addAll(SupplyRequestMapping.statuses(t.code()));
            }
        }
        boolean none = !codes.isEmpty() && statuses.isEmpty();
        int count = search.count();
        long after = search.afterId();
        List<BloodOrderLine> page = none ? List.of() : BloodOrderLine.search(location, statuses, after, count + 1);
        String next = page.size() > count ? Long.toString(page.get(count - 1).id) : null;
        var matches = page.stream().limit(count).map(l -> SupplyRequestMapping.toFhir(l.order, l)).toList();
        return search.answer(matches, next);
    }
}
