package io.hemolink.feewaiver.api;

import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.person.IdNumbers;
import io.hemolink.contracts.security.Roles;
import io.hemolink.feewaiver.config.FeeWaiverConfig;
import io.hemolink.feewaiver.domain.Donor;
import io.hemolink.feewaiver.domain.DonorRelation;
import io.hemolink.feewaiver.domain.Entitlements;
import io.hemolink.feewaiver.domain.PersonalData;
import io.hemolink.feewaiver.domain.Relations;
import io.hemolink.feewaiver.domain.RuleBook;
import io.hemolink.feewaiver.domain.RuleSet;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Relatives of donors and what a person is entitled to (api.md, Direct fee waiver). */
@Path("/donors")
public class DonorResource {

    @Inject
    Relations relations;

    @Inject
    Entitlements entitlements;

    @Inject
    RuleBook rules;

    @Inject
    FeeWaiverConfig config;

    @Inject
    PersonalData personalData;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    /** {@code POST /donors/relations}: a relative with the evidence of the relation. */
    @POST
    @Path("/relations")
    @RolesAllowed({Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = FeeWaiverDtos.RelationView.class, responseCode = "201", responseDescription = "Registered")
    @APIResponse(responseCode = "409", description = "RELATION_EXISTS: this relative is already registered for the donor")
    public Response relation(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull FeeWaiverDtos.NewRelation body) {
        return idempotency.run(key, "POST /donors/relations", Fingerprints.of(body, personalData), () -> {
            Relations.Registered r = relations.register(body.donorIdNumber(), body.relativeIdNumber(), body.relation(),
                    body.evidenceRef(), caller.actor());
            DonorRelation rel = r.relation();
            return Response.created(URI.create("/api/v1/donors/relations/" + rel.id))
                    .entity(new FeeWaiverDtos.RelationView(rel.id.toString(), r.donor().ref, IdNumbers.mask(r.donorIdNumber()),
                            IdNumbers.mask(r.relativeIdNumber()), rel.relation, rel.evidenceRef, rel.createdBy,
                            rel.createdAt))
                    .build();
        });
    }

    /**
     * {@code POST /donors/entitlement-query}: the donor's standing under the rule set in effect today, and the pools
     * the person may draw on as a relative. 404 when the person is neither a donor nor a registered relative.
     */
    @POST
    @Path("/entitlement-query")
    @Transactional
    @RolesAllowed({Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    @APIResponseSchema(value = FeeWaiverDtos.Entitlement.class, responseCode = "200",
            responseDescription = "The donor's standing and pools")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: no donor or relative with this ID number")
    public FeeWaiverDtos.Entitlement entitlement(@Valid @NotNull FeeWaiverDtos.EntitlementQuery body) {
        String id = IdNumbers.canonical(body.idNumber());
        if (id == null) {
            throw ApiException.unprocessable("ID_NUMBER_INVALID",
                    "not a valid resident ID number (18 characters, GB 11643 check character)", "idNumber");
        }
        LocalDate day = LocalDate.now(config.zone());
        RuleSet rs = rules.inEffectOn(day).orElseThrow(() -> ApiException.unprocessable("NO_RULE_SET",
                "no rule set of region " + rules.selected().region() + " is in effect on " + day, "ruleSet"));
        String hash = personalData.hash(id);
        Optional<Donor> donor = Donor.byHash(hash);
        List<DonorRelation> asRelative = DonorRelation.ofRelative(hash);
        if (donor.isEmpty() && asRelative.isEmpty()) {
            throw ApiException.notFound("a donor or relative with this ID number");
        }
        List<FeeWaiverDtos.AsRelative> pools = new ArrayList<>();
        for (DonorRelation r : asRelative) {
            Donor d = Donor.findById(r.donorId);
            boolean covered = rs.covers(r.relation);
            pools.add(new FeeWaiverDtos.AsRelative(d.ref, r.relation, covered, covered
                    ? FeeWaiverDtos.PoolView.of(entitlements.of(d, rs, day, config.zone()).relatives()) : null));
        }
        if (donor.isEmpty()) {
            return new FeeWaiverDtos.Entitlement(null, IdNumbers.mask(id), 0, 0, 0, false, null, null, null, pools, rs.id());
        }
        Entitlements.DonorState s = entitlements.of(donor.get(), rs, day, config.zone());
        List<io.hemolink.feewaiver.domain.Relation> registered = DonorRelation.ofDonor(donor.get().id).stream()
                .map(r -> r.relation).toList();
        return new FeeWaiverDtos.Entitlement(donor.get().ref, IdNumbers.mask(id), s.standing().donations(),
                s.standing().donatedMl(), s.standing().creditedMl(), s.standing().selfUnlimited(),
                FeeWaiverDtos.PoolView.of(s.self()), FeeWaiverDtos.PoolView.of(s.relatives()), registered, pools, rs.id());
    }
}
