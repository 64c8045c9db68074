package io.hemolink.storagepoint.api;

import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.security.Roles;
import io.hemolink.storagepoint.config.StoragePointConfig;
import io.hemolink.storagepoint.domain.Quarantine;
import io.hemolink.storagepoint.domain.Transfers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.List;

/** Transfers between sites and near-expiry rotation proposals (api.md, Storage points). */
@Path("/transfers")
public class TransferResource {

    @Inject
    Caller caller;

    @Inject
    Idempotency idempotency;

    @Inject
    Transfers transfers;

    @Inject
    StoragePointConfig config;

    @POST
    @RolesAllowed(Roles.STATION_DISPATCHER)
    @APIResponse(responseCode = "202", description = "The transfer, REQUESTED; TransferRequested is published and the inventory moves the units",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.TransferView.class)))
    @APIResponse(responseCode = "422", description = "TRANSFER_INVALID, UNIT_NOT_AVAILABLE, DIN_INVALID, VALIDATION_FAILED, INVALID_VALUE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response request(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull Dtos.NewTransfer body) {
        List<Quarantine.Key> keys = body.units().stream()
                .map(u -> new Quarantine.Key(StoragePointResource.canonical(u.din()), u.component())).toList();
        if (body.equipmentId() != null && body.equipmentId().isBlank()) {
            throw ApiException.unprocessable("INVALID_VALUE", "equipmentId must not be blank", "equipmentId");
        }
        return idempotency.run(key, "POST /transfers", body, () -> {
            Transfers.Requested t = transfers.request(keys, body.fromLocationId(), body.toLocationId(), body.equipmentId(),
                    caller.actor(), Instant.now());
            return Response.accepted(new Dtos.TransferView(t.transferId(), "REQUESTED", t.fromLocationId(),
                    t.toLocationId(), t.equipmentId(),
                    t.units().stream().map(k -> new Dtos.UnitKeyView(k.din(), k.component())).toList(), t.at())).build();
        });
    }

    @GET
    @Path("/proposals")
    @Transactional
    @RolesAllowed(Roles.STATION_DISPATCHER)
    public Dtos.Proposals proposals() {
        Instant now = Instant.now();
        return new Dtos.Proposals(now, config.rotation().window().toString(), transfers.proposals(now).stream()
                .map(p -> new Dtos.ProposalView(p.din(), p.component(), p.abo(), p.rhd(), p.quantity(), p.expiresAt(),
                        p.fromLocationId(), p.equipmentId(), p.toLocationId(), p.toTransfused(), p.fromTransfused()))
                .toList());
    }
}
