package io.hemolink.inventory.api;

import io.hemolink.common.api.QueryParams;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.security.Roles;
import io.hemolink.inventory.domain.IssueHistory;
import io.hemolink.inventory.domain.SupplyAlerts;
import io.hemolink.inventory.domain.WaitingLines;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /alerts?active=true}: supply alerts, for everyone who works with the stock: the station sees the
 * region's and every location's; a hospital or storage point the region's and its own.
 */
@Path("/alerts")
public class AlertResource {

    /** The list body of api.md's conventions (one page: alerts are few). */
    public record AlertList(List<SupplyAlerts.Alert> items, @Schema(nullable = true) String nextCursor) {
    }

    @Inject
    SupplyAlerts alerts;

    @Inject
    Caller caller;

    @Inject
    IssueHistory issues;

    @Inject
    WaitingLines waiting;

    /** The list body of api.md's conventions, with the moment it was computed (one page: such lines are few). */
    public record WaitingList(Instant asOf, List<WaitingLines.WaitingLine> items, @Schema(nullable = true) String nextCursor) {
    }

    /**
     * {@code GET /alerts/waiting}: EMERGENCY and URGENT order lines waiting because no bag in the station's stock
     * meets their special requirements (irradiated, CMV-negative, low-titre, antigen-negative), with what is unmet and
     * since when. A read computed now; a line leaves it once filled, dispatched or cancelled, or once a qualifying
     * bag exists. The station sees every location's (or {@code locationId}'s); a hospital or storage point its own.
     */
    @GET
    @Path("/waiting")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    @Operation(summary = "EMERGENCY and URGENT lines waiting for a bag that meets their special requirements")
    @APIResponseSchema(value = WaitingList.class, responseCode = "200",
            responseDescription = "The waiting lines, EMERGENCY first, then by submission")
    @APIResponse(responseCode = "403", description = "LOCATION_NOT_YOURS: a hospital or point named another location")
    public WaitingList waiting(@QueryParam("locationId") String locationId) {
        String location = caller.locationFilter(locationId);
        return new WaitingList(Instant.now(), waiting.list(location), null);
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION,
            Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR})
    public AlertList list(@Parameter(schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("active") String active) {
        boolean activeOnly = Boolean.TRUE.equals(QueryParams.bool(active, "active"));
        return new AlertList(alerts.list(activeOnly, caller.isStation() ? null : List.of(caller.locationId())), null);
    }

    /**
     * {@code POST /alerts/evaluation}: the daily evaluation of supply levels, now (after a large release, a mass
     * casualty event or a recall, dispatch need not wait for the schedule): today's levels are recorded and alerts
     * raised or cleared by the same rules; the answer lists what changed.
     */
    @POST
    @Path("/evaluation")
    @RolesAllowed(Roles.STATION_DISPATCHER)
    @Operation(summary = "Evaluates supply levels now and raises or clears alerts (station dispatch)")
    public AlertList evaluate() {
        return new AlertList(alerts.evaluate(issues.today()), null);
    }
}
