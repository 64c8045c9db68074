package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.domain.DomainException;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.storage.ExcursionDetected;
import io.hemolink.contracts.events.storage.QuarantineDecided;
import io.hemolink.contracts.events.storage.TransferRequested;
import io.hemolink.contracts.events.storage.UnitIssued;
import io.hemolink.contracts.events.storage.UnitPlaced;
import io.hemolink.inventory.domain.StockLedger;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitFates;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The storage-point service's events as the inventory applies them, through the ledger: an excursion quarantines the
 * units it names, station QA's decision releases or discards them, a transfer moves units between sites, an issue to
 * a patient is a transfusion, a placement records the equipment a unit sits in. A unit not in the state or place the
 * event expects, or that the rules refuse the change, is logged and left alone (the event cannot be refused after the
 * fact: the refusal is checked before anything is written, so the rest of the event still commits); each event acts
 * once.
 */
@ApplicationScoped
public class StorageEvents {

    static final String CONSUMER = "inventory-storage";
    private static final Logger LOG = Logger.getLogger(StorageEvents.class);

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    ObjectMapper mapper;

    @Inject
    UnitFates fates;

    @Inject
    StockLedger ledger;

    @Incoming("storage")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, String> record) {
        consumers.process("storage", record, this::apply);
    }

    private void apply(InboundEvent event) {
        processed.once(CONSUMER, event, Events.EXCURSION_DETECTED, mapper, this::excursion);
        processed.once(CONSUMER, event, Events.QUARANTINE_DECIDED, mapper, this::decided);
        processed.once(CONSUMER, event, Events.TRANSFER_REQUESTED, mapper, this::transfer);
        processed.once(CONSUMER, event, Events.UNIT_ISSUED, mapper, this::issued);
        processed.once(CONSUMER, event, Events.UNIT_PLACED, mapper, this::placed);
        // replenishment requests are the order service's
    }

    void excursion(ExcursionDetected e) {
        String why = "temperature excursion " + e.excursionId() + " in " + e.equipmentId();
        for (ExcursionDetected.UnitKey key : e.unitsQuarantined()) {
            at(key.din(), key.component(), e.storagePointId(), "excursion " + e.excursionId(),
                    unit -> fates.check(unit, UnitFates.Fate.QUARANTINED, why, null, null, e.at(), false),
                    unit -> fates.record(unit, UnitFates.Fate.QUARANTINED, why, null, null, e.at(), "system:storage-point", false));
        }
    }

    void decided(QuarantineDecided d) {
        UnitFates.Fate fate = d.decision() == QuarantineDecided.Decision.RELEASE ? UnitFates.Fate.RELEASED
                : UnitFates.Fate.DISCARDED;
        // a QA discard after an excursion is a temperature discard (api.md, "Discards and wastage")
        io.hemolink.contracts.blood.DiscardReason code = fate == UnitFates.Fate.DISCARDED
                ? io.hemolink.contracts.blood.DiscardReason.TEMPERATURE : null;
        String why = "station QA " + d.decision().name().toLowerCase() + " after quarantine at " + d.storagePointId();
        for (ExcursionDetected.UnitKey key : d.units()) {
            at(key.din(), key.component(), d.storagePointId(), "quarantine decision",
                    unit -> fates.check(unit, fate, why, code, null, d.at(), true),
                    unit -> fates.record(unit, fate, why, code, null, d.at(), d.actor(), true));
        }
    }

    void transfer(TransferRequested t) {
        for (ExcursionDetected.UnitKey key : t.units()) {
            at(key.din(), key.component(), t.fromLocationId(), "transfer " + t.transferId(), unit -> {
                if (unit.status != UnitStatus.AVAILABLE) {
                    throw DomainException.conflict("INVALID_TRANSITION", "only available units are transferred");
                }
            }, unit -> {
                unit.equipmentId = t.equipmentId();
                ledger.record(unit, MovementType.TRANSFERRED, UnitStatus.AVAILABLE, t.toLocationId(),
                        new StockLedger.Details(null, "transfer " + t.transferId() + " to " + t.toLocationId(), null,
                                t.actor(), t.at()));
            });
        }
    }

    void issued(UnitIssued i) {
        String why = "issued at storage point " + i.storagePointId();
        at(i.din(), i.component(), i.storagePointId(), "issue " + i.issueId(),
                unit -> fates.check(unit, UnitFates.Fate.TRANSFUSED, why, null, i.patientRef(), i.at(), false),
                unit -> fates.record(unit, UnitFates.Fate.TRANSFUSED, why, null, i.patientRef(), i.at(), i.actor(), false));
    }

    void placed(UnitPlaced p) {
        at(p.din(), p.component(), p.storagePointId(), "placement", unit -> { }, unit -> unit.equipmentId = p.equipmentId());
    }

    /**
     * Applies {@code action} to the unit when it is at {@code location} and {@code check} (which writes nothing)
     * passes; otherwise logs why. A refusal from {@code action} itself is not caught: the event then goes to the
     * dead-letter topic whole.
     */
    private void at(String din, String component, String location, String what, Consumer<Unit> check,
                    Consumer<Unit> action) {
        Optional<Unit> unit = Unit.lockedFirst(din, component);
        if (unit.isEmpty() || !location.equals(unit.get().locationId)) {
            LOG.warnf("%s names %s %s, which is not at %s", what, din, component, location);
            return;
        }
        try {
            check.accept(unit.get());
        } catch (DomainException refused) {
            LOG.warnf("%s: %s %s not changed (%s %s)", what, din, component, refused.code(), refused.getMessage());
            return;
        }
        action.accept(unit.get());
    }
}
