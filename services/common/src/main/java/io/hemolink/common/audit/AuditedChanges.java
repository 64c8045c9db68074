package io.hemolink.common.audit;

import jakarta.enterprise.context.RequestScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The events a call committed, gathered for its audit entry: {@link io.hemolink.common.outbox.Outbox} adds each event
 * once its transaction has committed, so a rolled-back change never appears as done.
 */
@RequestScoped
public class AuditedChanges {

    /** One committed event: its CloudEvents type, Kafka key (the aggregate), subject and id. */
    public record Change(String type, String key, String subject, String eventId) {
    }

    private final List<Change> changes = new ArrayList<>();

    public void add(Change change) {
        synchronized (changes) {
            changes.add(change);
        }
    }

    public List<Change> all() {
        synchronized (changes) {
            return List.copyOf(changes);
        }
    }
}
