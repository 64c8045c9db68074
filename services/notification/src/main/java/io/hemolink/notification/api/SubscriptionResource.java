package io.hemolink.notification.api;

import io.hemolink.common.api.Lists;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.security.Roles;
import io.hemolink.notification.config.NotificationConfig;
import io.hemolink.notification.domain.Deliveries;
import io.hemolink.notification.domain.Subscriptions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Webhook subscriptions (api.md, "Push: subscriptions and live alerts"): a hospital or HIS client subscribes for its
 * own location, the station for any (or for every location, STATION); each sees and deletes only its own location's
 * subscriptions (another location's is 404), the station all of them.
 */
@Path("/subscriptions")
public class SubscriptionResource {

    @Inject
    Caller caller;

    @Inject
    Idempotency idempotency;

    @Inject
    Subscriptions subscriptions;

    @Inject
    Deliveries deliveries;

    @Inject
    NotificationConfig config;

    @POST
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    @APIResponse(responseCode = "201", description = "The subscription with its secret, shown this once",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.SubscriptionView.class)))
    @APIResponse(responseCode = "403", description = "LOCATION_NOT_YOURS: a hospital subscribes for itself only;"
            + " RECRUITMENT_STATION_ONLY: only the station subscribes to RECRUITMENT",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "SUBSCRIPTION_LIMIT_REACHED: the location has max-per-location"
            + " subscriptions (20 unless configured); delete one first",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "SUBSCRIPTION_URL_INVALID, SUBSCRIPTION_HOST_FORBIDDEN,"
            + " SUBSCRIPTION_HOST_UNRESOLVABLE, SUBSCRIPTION_EVENTS_EMPTY, SUBSCRIPTION_EVENT_UNKNOWN,"
            + " RECRUITMENT_STATION_ONLY, LOCATION_INVALID, VALIDATION_FAILED, IDEMPOTENCY_KEY_REUSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@HeaderParam(Idempotency.HEADER) String key, @NotNull Dtos.NewSubscription body) {
        String location = body.locationId() == null || body.locationId().isBlank()
                ? (caller.isStation() ? LocationId.STATION : caller.locationId()) : body.locationId();
        caller.requireOwnLocation(location);
        AtomicReference<String> shownOnce = new AtomicReference<>();
        Response response = idempotency.run(key, "POST /subscriptions", body, () -> {
            Subscriptions.Created created = subscriptions.create(body.url(), body.events(), location,
                    caller.isStation(), caller.actor(), config.maxPerLocation(), Instant.now());
            shownOnce.set(created.secret());
            // what Idempotency records (and would replay) has no secret: the secret is never stored in plain
            return Response.created(URI.create("/api/v1/subscriptions/" + created.subscription().id()))
                    .entity(Dtos.SubscriptionView.of(created.subscription(), null)).build();
        });
        if (shownOnce.get() == null || !(response.getEntity() instanceof Dtos.SubscriptionView view)) {
            return response; // a replay of the first answer, without the secret
        }
        return Response.fromResponse(response).entity(new Dtos.SubscriptionView(view.id(), view.url(), view.events(),
                view.locationId(), shownOnce.get(), view.createdAt(), view.createdBy())).build();
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    @APIResponse(responseCode = "200", description = "Subscriptions, newest first (no secrets)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.SubscriptionList.class)))
    @APIResponse(responseCode = "403", description = "LOCATION_NOT_YOURS: a hospital lists its own location's only",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Dtos.SubscriptionList list(@QueryParam("locationId") String locationId, @QueryParam("limit") Integer limit,
                                      @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        long before = Lists.seqPosition(cursor);
        String location = caller.locationFilter(locationId);
        Page<Dtos.SubscriptionView> page = page(subscriptions.list(location, before, n + 1), n,
                Subscriptions.Subscription::seq, s -> Dtos.SubscriptionView.of(s, null));
        return new Dtos.SubscriptionList(page.items(), page.nextCursor());
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    @APIResponse(responseCode = "200", description = "The subscription (no secret)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription, or another location's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Dtos.SubscriptionView get(@PathParam("id") String id) {
        return Dtos.SubscriptionView.of(visible(id), null);
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    @APIResponse(responseCode = "204", description = "Deleted, with its delivery log; pending deliveries are not sent")
    @APIResponse(responseCode = "404", description = "No such subscription, or another location's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) {
        Subscriptions.Subscription s = visible(id);
        subscriptions.delete(s.id());
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    @APIResponse(responseCode = "200", description = "The subscription's deliveries, newest first",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.DeliveryList.class)))
    @APIResponse(responseCode = "404", description = "No such subscription, or another location's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Dtos.DeliveryList deliveries(@PathParam("id") String id, @QueryParam("limit") Integer limit,
                                        @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        long before = Lists.seqPosition(cursor);
        Subscriptions.Subscription s = visible(id);
        Page<Dtos.DeliveryView> page = page(deliveries.log(s.id(), before, n + 1), n, Deliveries.Delivery::seq,
                Dtos.DeliveryView::of);
        return new Dtos.DeliveryList(page.items(), page.nextCursor());
    }

    private record Page<V>(List<V> items, String nextCursor) {
    }

    /** At most {@code n} of {@code fetched} (n + 1 were asked for, newest first), and the cursor after them if more. */
    private static <T, V> Page<V> page(List<T> fetched, int n, java.util.function.ToLongFunction<T> seq,
                                       java.util.function.Function<T, V> view) {
        boolean more = fetched.size() > n;
        List<T> items = more ? fetched.subList(0, n) : fetched;
        return new Page<>(items.stream().map(view).toList(),
                more ? Lists.cursor(String.valueOf(seq.applyAsLong(items.get(n - 1)))) : null);
    }

    /** The subscription if the caller may see it; 404 alike for one that does not exist and another location's. */
    private Subscriptions.Subscription visible(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("subscription " + id);
        }
        Subscriptions.Subscription s = subscriptions.find(uuid).orElseThrow(() -> ApiException.notFound("subscription " + id));
        caller.requireAccessTo(s.locationId(), "subscription " + id);
        return s;
    }
}
