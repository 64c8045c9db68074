package io.hemolink.feewaiver.api;

import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.security.Roles;
import io.hemolink.feewaiver.domain.Settlements;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.time.YearMonth;

/** Monthly statements per hospital (what the station pays back) and closing a month. */
@Path("/settlements/{hospitalId}/{month}")
public class SettlementResource {

    @Inject
    Settlements settlements;

    @Inject
    Caller caller;

    @Inject
    Idempotency idempotency;

    @GET
    @Transactional
    @RolesAllowed({Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    public FeeWaiverDtos.Statement statement(@PathParam("hospitalId") String hospitalId, @PathParam("month") String month) {
        caller.requireAccessTo(hospitalId, "settlement " + hospitalId + " " + month);
        return FeeWaiverDtos.Statement.of(settlements.statement(hospital(hospitalId), FeeWaiverResource.parseMonth(month)));
    }

    /** Closes an ended month once (again: the same statement, nothing published). */
    @POST
    @Path("/close")
    @RolesAllowed(Roles.WAIVER_ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = FeeWaiverDtos.Statement.class, responseCode = "200", responseDescription = "The closed statement")
    public Response close(@HeaderParam(Idempotency.HEADER) String key, @PathParam("hospitalId") String hospitalId,
                          @PathParam("month") String month) {
        YearMonth m = FeeWaiverResource.parseMonth(month);
        String h = hospital(hospitalId);
        return idempotency.run(key, "POST /settlements/" + h + "/" + m + "/close", h + "/" + m, () ->
                Response.ok(FeeWaiverDtos.Statement.of(settlements.close(h, m, caller.actor()))).build());
    }

    private static String hospital(String hospitalId) {
        if (!LocationId.isHospital(hospitalId)) {
            throw ApiException.notFound("hospital " + hospitalId);
        }
        return hospitalId;
    }
}
