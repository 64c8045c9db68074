package io.hemolink.feewaiver.api;

import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.security.Roles;
import io.hemolink.feewaiver.domain.DonationRecords;
import io.hemolink.feewaiver.domain.PersonalData;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.net.URI;

/** {@code POST /donations}: the waiver administration records a donation (the donor system uses the topic). */
@Path("/donations")
public class DonationResource {

    @Inject
    DonationRecords donations;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    Views views;

    @Inject
    PersonalData personalData;

    /** 201 when recorded; 200 with the donation when this donation id was already recorded for this donor. */
    @POST
    @RolesAllowed(Roles.WAIVER_ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = FeeWaiverDtos.DonationView.class, responseCode = "201", responseDescription = "Recorded")
    @APIResponse(responseCode = "200", description = "This donation was already recorded for this donor: as it was",
            content = @Content(schema = @Schema(implementation = FeeWaiverDtos.DonationView.class)))
    @APIResponse(responseCode = "409", description = "DONATION_EXISTS: the donation id is recorded with other details")
    public Response record(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull FeeWaiverDtos.NewDonation body) {
        return idempotency.run(key, "POST /donations", Fingerprints.of(body, personalData), () -> {
            DonationRecords.Recorded r = donations.record(new DonationRecords.Request(body.donationId(),
                    body.donorIdNumber(), body.donorName(), body.donatedAt(), body.kind(), body.volumeMl(), body.doses(),
                    body.rhdNegative(), body.abo(), body.rhd()), caller.actor());
            FeeWaiverDtos.DonationView view = views.donation(r.donation(), r.donor());
            return (r.created() ? Response.created(URI.create("/api/v1/donations/" + r.donation().donationId))
                    : Response.ok()).entity(view).build();
        });
    }
}
