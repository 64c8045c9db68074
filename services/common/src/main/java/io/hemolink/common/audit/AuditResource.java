package io.hemolink.common.audit;

import io.hemolink.common.api.Lists;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.contracts.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The station reads this service's audit trail, newest first. */
@Path("/audit")
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** A page of the trail. */
    public record AuditPage(List<AuditEntry> items, @Schema(nullable = true) String nextCursor) {
    }

    /** One call; {@code cursor} lists on after this entry (the gateway merges the services' trails with it). */
    public record AuditEntry(String service, Instant at, String actor, @Schema(nullable = true) String locationId,
                             String roles, String method, String path,
                             @Schema(nullable = true, description = "null while the answer of a committed call is "
                                     + "not recorded (ADR 0022)") Integer status,
                             boolean replayed, String requestId,
                             List<AuditedChanges.Change> changes, String cursor) {
        static AuditEntry of(AuditTrail.Entry e) {
            return new AuditEntry(e.service(), e.at(), e.actor(), e.locationId(), e.roles(), e.method(), e.path(),
                    e.status(), e.replayed(), e.requestId(), e.changes(), Lists.cursor(String.valueOf(e.seq())));
        }
    }

    private final AuditTrail trail;

    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.WAIVER_ADMIN})
    @Operation(summary = "State-changing calls of this service, newest first",
            description = "Every POST, PUT, PATCH and DELETE with a valid token, allowed or refused: actor, location, "
                    + "roles, time, method and path (never the query or the body), status, whether an Idempotency-Key "
                    + "replayed it, request id and the events it committed. Filters: actor, locationId, from "
                    + "(inclusive), to (exclusive).")
    @APIResponse(responseCode = "200", description = "A page of entries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditPage.class)))
    @APIResponse(responseCode = "422", description = "INVALID_VALUE: a bad limit or time",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AuditPage list(@QueryParam("actor") String actor, @QueryParam("locationId") String locationId,
                          @QueryParam("from") String from, @QueryParam("to") String to,
                          @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        List<AuditTrail.Entry> rows = trail.list(new AuditTrail.Query(blankToNull(actor), blankToNull(locationId),
                instant(from, "from"), instant(to, "to"), Lists.seqPosition(cursor), n));
        boolean more = rows.size() > n;
        List<AuditEntry> page = (more ? rows.subList(0, n) : rows).stream().map(AuditEntry::of).toList();
        return new AuditPage(page, more ? page.get(n - 1).cursor() : null);
    }

    private static Instant instant(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.unprocessable("INVALID_VALUE", field + " must be a timestamp with offset (ISO 8601)", field);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
