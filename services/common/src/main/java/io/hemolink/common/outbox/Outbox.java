package io.hemolink.common.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.audit.AuditedChanges;
import io.hemolink.common.tracing.Traces;
import io.hemolink.common.tx.AfterCommit;
import io.hemolink.contracts.events.EventType;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * The only way a service emits an event: the event is written to {@code outbox_event} in the caller's transaction,
 * so it exists exactly when the change that caused it was committed. {@link OutboxRelay} publishes it to Kafka right
 * after the commit (and on its safety-net poll), in the order written, keyed by aggregate. The trace context of the
 * work that wrote it (an HTTP call, a consumer's event, a lane resuming an order's trace) is stored with it and sent
 * as its {@code traceparent} header (ADR 0031).
 */
@ApplicationScoped
public class Outbox {

    /** The name under which a transaction gathers the events of a call for its audit entry. */
    public static final String AUDIT_CHANGES = "audit-changes";

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper mapper;

    @Inject
    OutboxRelay relay;

    @Inject
    AfterCommit afterCommit;

    @Inject
    AuditedChanges auditedChanges;

    @ConfigProperty(name = "hemolink.service.name")
    String serviceName;

    /**
     * Records an event in the current transaction (there must be one).
     *
     * @param key     the Kafka key: the aggregate whose events must stay in order (order id, stock key...)
     * @param subject the CloudEvents subject (what the event is about), or null
     * @return the event id (CloudEvents {@code id})
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> UUID publish(EventType<T> type, String key, String subject, T payload) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
        if (!type.payloadClass().isInstance(payload)) {
            throw new IllegalArgumentException(type.ceType() + " carries " + type.payloadClass().getSimpleName());
        }
        UUID id = UUID.randomUUID();
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event payload cannot be written as JSON: " + type.ceType(), e);
        }
        // the trace of the work committing the event goes with it (ADR 0031): the relay sends it as its traceparent
        Traces.TraceContext trace = Traces.current();
        em.createNativeQuery("insert into outbox_event (id, topic, message_key, ce_type, ce_source, ce_subject, payload,"
                        + " occurred_at, traceparent, tracestate) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                .setParameter(1, id)
                .setParameter(2, type.topic())
                .setParameter(3, key)
                .setParameter(4, type.ceType())
                .setParameter(5, source())
                .setParameter(6, subject)
                .setParameter(7, json)
                .setParameter(8, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
                .setParameter(9, trace == null ? null : trace.traceparent())
                .setParameter(10, trace == null ? null : trace.tracestate())
                .executeUpdate();
        wakeRelayAfterCommit();
        auditAfterCommit(new AuditedChanges.Change(type.ceType(), key, subject, id.toString()));
        return id;
    }

    /** A call's committed events go into its audit entry; events of consumers and schedules are not calls. */
    private void auditAfterCommit(AuditedChanges.Change change) {
        if (!Arc.container().requestContext().isActive()) {
            return;
        }
        AuditedChanges changes = ClientProxy.unwrap(auditedChanges);
        afterCommit.collect(AUDIT_CHANGES, change, committed -> committed.forEach(changes::add));
    }

    /** The CloudEvents source of this service's events. */
    public String source() {
        return "/hemolink/" + serviceName;
    }

    private void wakeRelayAfterCommit() {
        afterCommit.collect("outbox-wake", Boolean.TRUE, ignored -> relay.wakeUp());
    }
}
