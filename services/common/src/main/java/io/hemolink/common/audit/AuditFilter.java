package io.hemolink.common.audit;

import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.RequestIds;
import io.hemolink.common.security.Caller;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.time.Instant;
import java.util.TreeSet;

/**
 * Records every state-changing call (POST, PUT, PATCH, DELETE), allowed or refused, once it is answered (a call that
 * committed a change already has its entry, written in the same transaction by {@link CallAudit}): who (token
 * subject, location and roles), when, what (method and path, never the query string or the body), how it ended
 * (status, replayed by an Idempotency-Key) and the events it committed. Calls without a valid token (401) are the
 * gateway's access log's. Every response carries its {@code X-Request-Id}, the key to the entry and to the logs.
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);

    @Inject
    Caller caller;

    @Inject
    AuditedChanges changes;

    @Inject
    AuditTrail trail;

    @Inject
    CurrentVertxRequest current;

    @Inject
    CallAudit.State call;

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String requestId = RequestIds.of(current.getCurrent() == null ? null : current.getCurrent().request());
        response.getHeaders().putSingle(RequestIds.HEADER, requestId);
        String method = request.getMethod();
        int status = response.getStatus();
        if (!CallAudit.CHANGING.contains(method) || status == 401) {
            return;
        }
        AuditTrail.Entry entry;
        Long written;
        try {
            written = call.seq();
            if (caller.isAnonymous()) {
                return;
            }
            entry = new AuditTrail.Entry(0, null, Instant.now(), caller.actor(), caller.locationId(),
                    String.join(",", new TreeSet<>(caller.roles())), method,
                    request.getUriInfo().getRequestUri().getRawPath(), status,
                    "true".equals(response.getHeaderString(Idempotency.REPLAYED_HEADER)), requestId, changes.all());
        } catch (RuntimeException e) {
            LOG.errorf(e, "audit entry of request %s (%s, status %d) could not be made", requestId, method, status);
            return;
        }
        // the entry of a call that committed a change was written with it (CallAudit): only its answer is added
        Runnable write = written == null ? () -> trail.record(entry) : () -> trail.complete(written, entry);
        if (BlockingOperationControl.isBlockingAllowed()) {
            write.run();
        } else {
            Infrastructure.getDefaultWorkerPool().execute(write);
        }
    }
}
