package io.hemolink.inventory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.contracts.security.Roles;
import io.hemolink.inventory.config.InventoryConfig;
import io.hemolink.inventory.domain.UnitMovement;
import io.hemolink.inventory.domain.WastageReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /reports/wastage} (api.md, "Discards and wastage"): issued, wasted and the wastage rate by location,
 * component, ABO, reason and month; the station sees every location, anyone else its own rows and the region's totals.
 * JSON, or CSV with {@code Accept: text/csv}.
 */
@Path("/reports/wastage")
public class ReportResource {

    static final String CSV = "text/csv";

    /** A row: only the keys asked for in {@code by} are present. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WastageRow(String locationId, Component component, Abo abo,
                             @Schema(description = "the reasonCode") DiscardReason reason,
                             @Schema(description = "yyyy-MM, the station's calendar") String month,
                             long issued, long wasted,
                             @JsonInclude(JsonInclude.Include.ALWAYS)
                             @Schema(nullable = true, description = "wasted ÷ issued; null when nothing was issued")
                             Double wastageRate) {
    }

    public record WastageTotals(long issued, long wasted,
                                @Schema(nullable = true, description = "wasted ÷ issued; null when nothing was issued")
                                Double wastageRate) {
    }

    public record Wastage(Instant from, Instant to, List<String> by, List<WastageRow> rows, WastageTotals totals) {
    }

    @Inject
    WastageReport wastage;

    @Inject
    Caller caller;

    @Inject
    InventoryConfig config;

    @GET
    @Transactional
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    @Operation(summary = "Wastage by location, component, ABO, reason and month (JSON, or CSV with Accept: text/csv)")
    @APIResponse(responseCode = "200", description = "The report", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Wastage.class)),
            @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "a header line (the keys of by, then issued, wasted, wastageRate) and one line per row"))})
    @APIResponse(responseCode = "422", description = "BY_KEY_UNKNOWN, RANGE_INVALID (from after to), RANGE_TOO_LONG (over "
            + "three years), INVALID_VALUE (from or to neither a date nor an instant)",
            content = @Content(mediaType = io.hemolink.common.problem.Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = io.hemolink.common.problem.Problem.class)))
    public Response wastage(@Parameter(description = "yyyy-MM-dd (start of that day) or an ISO-8601 instant; default: "
                                    + "the start of the month eleven months back") @QueryParam("from") String from,
                            @Parameter(description = "yyyy-MM-dd (to the end of that day) or an ISO-8601 instant; "
                                    + "default: now") @QueryParam("to") String to,
                            @Parameter(description = "comma-separated: location, component, abo, reason, month; "
                                    + "default: location") @QueryParam("by") String by,
                            @Context HttpHeaders headers) {
        WastageReport.Query q = wastage.query(from, to, by, Instant.now());
        String only = caller.isStation() ? null : caller.locationId();
        WastageReport.Report r = wastage.report(q, UnitMovement.wastage(q.from(), q.to(), config.zone()), only);
        return wantsCsv(headers) ? Response.ok(csv(r), CSV + ";charset=utf-8").build()
                : Response.ok(json(r), MediaType.APPLICATION_JSON).build();
    }

    /** CSV only when the caller prefers it to JSON ({@code *}{@code /*} and no Accept answer JSON). */
    private static boolean wantsCsv(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(CSV))) {
                return true;
            }
        }
        return false;
    }

    private static Wastage json(WastageReport.Report r) {
        return new Wastage(r.from(), r.to(), r.by().stream().map(k -> k.name().toLowerCase()).toList(),
                r.rows().stream().map(row -> new WastageRow(row.locationId(), row.component(), row.abo(), row.reason(),
                        row.month(), row.issued(), row.wasted(), row.wastageRate())).toList(),
                new WastageTotals(r.totals().issued(), r.totals().wasted(), r.totals().wastageRate()));
    }

    private static String csv(WastageReport.Report r) {
        StringBuilder out = new StringBuilder();
        for (WastageReport.Key k : r.by()) {
            out.append(k.field).append(',');
        }
        out.append("issued,wasted,wastageRate\r\n");
        for (WastageReport.Row row : r.rows()) {
            for (WastageReport.Key k : r.by()) {
                out.append(switch (k) {
                    case LOCATION -> row.locationId();
                    case COMPONENT -> row.component().name();
                    case ABO -> row.abo().name();
                    case REASON -> row.reason().name();
                    case MONTH -> row.month();
                }).append(',');
            }
            out.append(row.issued()).append(',').append(row.wasted()).append(',')
                    .append(row.wastageRate() == null ? "" : row.wastageRate().toString()).append("\r\n");
        }
        return out.toString();
    }
}
