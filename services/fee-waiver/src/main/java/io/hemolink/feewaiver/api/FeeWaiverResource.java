package io.hemolink.feewaiver.api;

import io.hemolink.common.api.Lists;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.security.Roles;
import io.hemolink.feewaiver.domain.Claims;
import io.hemolink.feewaiver.domain.PersonalData;
import io.hemolink.feewaiver.domain.Waiver;
import io.micrometer.core.annotation.Timed;
import io.quarkus.panache.common.Parameters;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.net.URI;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Quotes, claims, reversals and the list of waivers (api.md, Direct fee waiver). */
@Path("/fee-waivers")
public class FeeWaiverResource {

    @Inject
    Claims claims;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    Views views;

    @Inject
    PersonalData personalData;

    /** What would be waived on this bill now; changes nothing. */
    @POST
    @Path("/quote")
    @Transactional
    @Timed(value = "hemolink.feewaiver.quote", percentiles = {0.5, 0.99})
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    public FeeWaiverDtos.Quote quote(@Valid @NotNull FeeWaiverDtos.Bill body) {
        caller.requireOwnLocation(body.hospitalId());
        return FeeWaiverDtos.Quote.of(claims.quote(body.toDomain()));
    }

    /**
     * Claims the waiver of a bill: 201 with the waiver; the same hospital and bill again answers 200 with that same
     * waiver (never a second one); the same bill with other details is 409 BILL_ALREADY_CLAIMED.
     */
    @POST
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = FeeWaiverDtos.WaiverView.class, responseCode = "201", responseDescription = "Claimed")
    @APIResponse(responseCode = "200", description = "This bill was already claimed with these details: that waiver",
            content = @Content(schema = @Schema(implementation = FeeWaiverDtos.WaiverView.class)))
    @APIResponse(responseCode = "409", description = "BILL_ALREADY_CLAIMED: the bill was claimed with other details")
    public Response claim(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull FeeWaiverDtos.Bill body) {
        caller.requireOwnLocation(body.hospitalId());
        return idempotency.run(key, "POST /fee-waivers", Fingerprints.of(body, personalData), () -> {
            Claims.Claimed c = claims.claim(body.toDomain(), caller.actor());
            FeeWaiverDtos.WaiverView view = views.waiver(c.waiver());
            return (c.created() ? Response.created(URI.create("/api/v1/fee-waivers/" + c.waiver().id)) : Response.ok())
                    .entity(view).build();
        });
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    public FeeWaiverDtos.WaiverView get(@PathParam("id") String id) {
        Waiver w = Waiver.byId(parseId(id)).orElseThrow(() -> ApiException.notFound("waiver " + id));
        caller.requireAccessTo(w.hospitalId, "waiver " + id);
        return views.waiver(w);
    }

    /** The bill was cancelled: the waiver is reversed and the entitlement restored (the hospital or the station). */
    @POST
    @Path("/{id}/reversal")
    @RolesAllowed({Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = FeeWaiverDtos.WaiverView.class, responseCode = "200", responseDescription = "REVERSED")
    @APIResponse(responseCode = "409", description = "WAIVER_ALREADY_REVERSED")
    public Response reverse(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                            @Valid @NotNull FeeWaiverDtos.Reversal body) {
        UUID waiverId = parseId(id);
        return idempotency.run(key, "POST /fee-waivers/" + waiverId + "/reversal", body, () -> {
            Waiver w = Waiver.byIdForUpdate(waiverId).orElseThrow(() -> ApiException.notFound("waiver " + id));
            caller.requireAccessTo(w.hospitalId, "waiver " + id);
            return Response.ok(views.waiver(claims.reverse(w, body.reason(), caller.actor()))).build();
        });
    }

    /** Waivers, newest first: a hospital sees its own (naming another hospital is 403, ADR 0020), the station all. */
    @GET
    @Transactional
    @RolesAllowed({Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    public FeeWaiverDtos.WaiverList list(@QueryParam("hospitalId") String hospitalId, @QueryParam("month") String month,
                                         @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        String hospital = caller.locationFilter(hospitalId);
        int size = Lists.limit(limit);
        long before = Lists.seqPosition(cursor);
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (hospital != null) {
            q.append(" and hospitalId = :hospital");
            p.and("hospital", hospital);
        }
        if (month != null) {
            q.append(" and claimMonth = :month");
            p.and("month", parseMonth(month).toString());
        }
        if (before != Long.MAX_VALUE) {
            q.append(" and seq < :before");
            p.and("before", before);
        }
        List<Waiver> page = Waiver.find(q + " order by seq desc", p).page(0, size + 1).list();
        List<FeeWaiverDtos.WaiverView> items = new ArrayList<>();
        for (int i = 0; i < Math.min(size, page.size()); i++) {
            items.add(views.waiver(page.get(i)));
        }
        String next = page.size() > size ? Lists.cursor(String.valueOf(page.get(size - 1).seq)) : null;
        return new FeeWaiverDtos.WaiverList(items, next);
    }

    static YearMonth parseMonth(String month) {
        try {
            return YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw ApiException.unprocessable("INVALID_VALUE", "month is yyyy-MM", "month");
        }
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("waiver " + id);
        }
    }
}
