package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.ReturnDecided;
import io.hemolink.contracts.events.order.OrderDispatched;
import io.hemolink.contracts.events.order.OrderReceived;
import io.hemolink.contracts.events.order.ReturnRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * What happens to bags between the station and a hospital: dispatched bags are in transit; at receipt, accepted
 * bags become the hospital's available stock and rejected ones go back to the station in quarantine for its QA to
 * decide; a returned bag goes back into stock only with intact seal, attached segment and at most the allowed time
 * out of controlled storage (domain.md), otherwise it is discarded, and the evidence is recorded either way.
 */
@ApplicationScoped
public class Deliveries {

    private static final Logger LOG = Logger.getLogger(Deliveries.class);

    @Inject
    EntityManager em;

    @Inject
    StockLedger ledger;

    @Inject
    Outbox outbox;

    @Inject
    io.hemolink.inventory.config.InventoryConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public void dispatched(OrderDispatched d) {
        for (OrderDispatched.UnitKey key : d.units()) {
            Optional<Unit> unit = Unit.lockedFirst(key.din(), key.component());
            if (unit.isEmpty() || unit.get().status != UnitStatus.RESERVED || !d.orderId().equals(unit.get().orderId)) {
                LOG.warnf("dispatch of order %s names %s %s, which is not reserved for it", d.orderId(), key.din(), key.component());
                continue;
            }
            ledger.record(unit.get(), MovementType.DISPATCHED, UnitStatus.IN_TRANSIT, unit.get().locationId,
                    new StockLedger.Details(d.orderId(), "issue note " + d.issueNoteNo() + " to " + d.locationId(), null,
                            d.actor(), d.at()));
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void received(OrderReceived r) {
        for (OrderReceived.Receipt receipt : r.units()) {
            Optional<Unit> unit = Unit.lockedFirst(receipt.din(), receipt.component());
            if (unit.isEmpty() || unit.get().status != UnitStatus.IN_TRANSIT || !r.orderId().equals(unit.get().orderId)) {
                LOG.warnf("receipt of order %s names %s %s, which is not in transit for it", r.orderId(), receipt.din(),
                        receipt.component());
                continue;
            }
            if (receipt.accepted()) {
                ledger.record(unit.get(), MovementType.RECEIVED_AT_HOSPITAL, UnitStatus.AVAILABLE, r.locationId(),
                        new StockLedger.Details(r.orderId(), null, null, r.actor(), r.at()));
            } else {
                ledger.record(unit.get(), MovementType.REJECTED_AT_HOSPITAL, UnitStatus.QUARANTINED, LocationId.STATION,
                        new StockLedger.Details(r.orderId(), "rejected at " + r.locationId() + ": " + receipt.reason(), null,
                                r.actor(), r.at()));
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public ReturnDecided returned(ReturnRequested r) {
        Instant now = Instant.now();
        Optional<Unit> found = Unit.lockedFirst(r.din(), r.component());
        if (found.isEmpty() || !r.locationId().equals(found.get().locationId) || found.get().status != UnitStatus.AVAILABLE) {
            ReturnDecided refused = new ReturnDecided(r.returnId(), r.din(), r.locationId(), ReturnDecided.Decision.DISCARDED,
                    "not returnable: the unit is not available stock of " + r.locationId(), now);
            outbox.publish(Events.RETURN_DECIDED, r.returnId(), "return/" + r.returnId(), refused);
            return refused;
        }
        Unit unit = found.get();
        String evidence = "seal " + (r.sealIntact() ? "intact" : "broken") + ", segment "
                + (r.segmentAttached() ? "attached" : "missing") + ", " + r.minutesOutOfStorage() + " min out of storage";
        boolean reusable = r.sealIntact() && r.segmentAttached() && r.minutesOutOfStorage() <= config.returns().maxMinutesOutOfStorage()
                && unit.expiresAt.isAfter(now);
        ReturnDecided decision;
        if (reusable) {
            ledger.record(unit, MovementType.RETURNED_TO_STOCK, UnitStatus.AVAILABLE, LocationId.STATION,
                    new StockLedger.Details(null, "returned by " + r.locationId() + " (" + r.reason() + "); " + evidence,
                            null, r.actor(), r.at()));
            decision = new ReturnDecided(r.returnId(), r.din(), r.locationId(), ReturnDecided.Decision.RETURNED_TO_STOCK,
                    evidence, now);
        } else {
            String why = "returned-not-reusable: " + evidence;
            ledger.record(unit, MovementType.DISCARDED, UnitStatus.DISCARDED, unit.locationId,
                    new StockLedger.Details(null, why, null, r.actor(), r.at(),
                            io.hemolink.contracts.blood.DiscardReason.RETURN_NOT_REUSABLE));
            decision = new ReturnDecided(r.returnId(), r.din(), r.locationId(), ReturnDecided.Decision.DISCARDED, why, now);
        }
        unit.orderId = null;
        outbox.publish(Events.RETURN_DECIDED, r.returnId(), "return/" + r.returnId(), decision);
        return decision;
    }
}
