package io.hemolink.common.deadletter;

import io.hemolink.common.api.Lists;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** The station's dispatcher inspects and replays the events this service's consumers dead-lettered. */
@Path("/admin/dead-letters")
@Tag(name = "Dead letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.STATION_DISPATCHER)
public class DeadLetterResource {

    /** The dead letters found, and every dead-letter topic of this service with the topic it belongs to. */
    public record DeadLetterPage(List<DeadLetters.Letter> items, Map<String, String> topics) {
    }

    @Inject
    DeadLetters deadLetters;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Events this service's consumers could never process",
            description = "Records of the dead-letter topics of the topics this service consumes (or of one, by "
                    + "`topic`: the consumed topic or its `.dlq`), oldest first: offset, key, the CloudEvents headers, "
                    + "the failure reason and cause the connector recorded, where the record was, and its payload.")
    @APIResponse(responseCode = "200", description = "The dead letters",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeadLetterPage.class)))
    @APIResponse(responseCode = "404", description = "NOT_FOUND: not a topic this service consumes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DeadLetterPage list(@QueryParam("topic") String topic, @QueryParam("limit") Integer limit) {
        int n = Lists.limit(limit);
        String t = topic == null || topic.isBlank() ? null : topic.strip();
        return new DeadLetterPage(deadLetters.list(t, n), deadLetters.topics());
    }

    @POST
    @Path("/{topic}/{partition}/{offset}/replay")
    @Operation(summary = "Publish a dead letter again to the topic it came from",
            description = "The record goes back with its key, payload and headers (the same `ce_id`, so the "
                    + "idempotent consumer applies it at most once) and `hemolink-replayed-from`; it stays in the "
                    + "dead-letter topic. Use it once the cause is fixed.")
    @APIResponse(responseCode = "202", description = "Published; the consumer applies it shortly",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeadLetters.Replayed.class)))
    @APIResponse(responseCode = "404", description = "NOT_FOUND: no such dead letter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public jakarta.ws.rs.core.Response replay(@PathParam("topic") String topic, @PathParam("partition") int partition,
                                              @PathParam("offset") long offset) {
        return jakarta.ws.rs.core.Response.accepted(deadLetters.replay(topic, partition, offset, caller.actor())).build();
    }
}
