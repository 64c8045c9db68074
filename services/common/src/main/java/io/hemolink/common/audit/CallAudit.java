package io.hemolink.common.audit;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.problem.RequestIds;
import io.hemolink.common.security.Caller;
import io.hemolink.common.tx.AfterCommit;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the audit entry of a state-changing call inside the transaction of its change: when a transaction begins
 * while a POST, PUT, PATCH or DELETE with a valid token is being served, the entry is inserted just before that
 * transaction commits (with the events it committed, and no status yet), so the change and its entry commit or
 * roll back together. {@link AuditFilter} then records the answer on that entry; a call that committed nothing
 * (refused, rolled back, read only) gets its entry from the filter alone.
 */
@ApplicationScoped
public class CallAudit {

    private static final Logger LOG = Logger.getLogger(CallAudit.class);
    static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** What the audit knows of the call being served: the entry written with its change, if any. */
    @jakarta.enterprise.context.RequestScoped
    public static class State {
        private Long seq;
        private boolean writing;

        /** The seq of the entry written with the call's change, or null when none was. */
        public Long seq() {
            return seq;
        }
    }

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    CurrentVertxRequest current;

    @Inject
    Caller caller;

    @Inject
    AuditTrail trail;

    @Inject
    State state;

    @Inject
    AfterCommit afterCommit;

    void onBegin(@Observes @Initialized(TransactionScoped.class) Object transaction) {
        if (!Arc.container().requestContext().isActive() || current.getCurrent() == null) {
            return; // a consumer or a schedule: not a call
        }
        var request = current.getCurrent().request();
        State call = io.quarkus.arc.ClientProxy.unwrap(state);
        if (!CHANGING.contains(request.method().name()) || call.seq != null || call.writing) {
            return;
        }
        try {
            if (caller.isAnonymous()) {
                return;
            }
        } catch (RuntimeException notYetAuthenticated) {
            return;
        }
        String requestId = RequestIds.of(request);
        String path = request.path();
        transactions.registerInterposedSynchronization(new Synchronization() {
            private Long written;

            @Override
            public void beforeCompletion() {
                if (call.seq != null || call.writing || transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
                    return;
                }
                call.writing = true;
                try {
                    written = trail.recordInTransaction(new AuditTrail.Entry(0, null, Instant.now(), caller.actor(),
                            caller.locationId(), String.join(",", new TreeSet<>(caller.roles())),
                            request.method().name(), path, null, false, requestId,
                            new ArrayList<>(afterCommit.<AuditedChanges.Change>gathered(Outbox.AUDIT_CHANGES))));
                } finally {
                    call.writing = false;
                }
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED && written != null) {
                    call.seq = written;
                }
            }
        });
    }
}
