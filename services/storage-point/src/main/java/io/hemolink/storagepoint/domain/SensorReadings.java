package io.hemolink.storagepoint.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.events.storage.TemperatureReadingBatch;
import io.hemolink.storagepoint.config.StoragePointConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Readings as they come in, by REST or from a sensor gateway on Kafka, checked before the monitor sees them: the
 * equipment must be the point's, the time not in the future, the value plausible. A REST batch with a bad reading is
 * refused whole (422, nothing stored); a gateway batch keeps its good readings and logs how many it dropped.
 */
@ApplicationScoped
public class SensorReadings {

    private static final Logger LOG = Logger.getLogger(SensorReadings.class);
    /** Beyond these no sensor of a blood store reads: a broken sensor, not a temperature. */
    private static final double PLAUSIBLE_MIN = -100;
    private static final double PLAUSIBLE_MAX = 100;

    @Inject
    TemperatureMonitor monitor;

    @Inject
    StoragePointConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public TemperatureMonitor.Outcome fromApi(String pointId, List<TemperatureMonitor.Reading> readings, Instant now) {
        Set<String> equipment = equipmentOf(pointId);
        List<DomainException.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            String why = problem(readings.get(i), equipment, now);
            if (why != null) {
                errors.add(new DomainException.FieldError("readings[" + i + "]", why));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid("READING_INVALID", errors.size() + " reading(s) cannot be accepted; nothing was stored",
                    errors.size() > 50 ? errors.subList(0, 50) : errors);
        }
        return monitor.ingest(pointId, readings, now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void fromGateway(TemperatureReadingBatch batch, Instant now) {
        if (batch.storagePointId() == null || StoragePoint.byId(batch.storagePointId()).isEmpty()) {
            LOG.warnf("readings for unknown storage point %s dropped", batch.storagePointId());
            return;
        }
        Set<String> equipment = equipmentOf(batch.storagePointId());
        List<TemperatureMonitor.Reading> good = new ArrayList<>();
        int dropped = 0;
        for (TemperatureReadingBatch.Reading r : batch.readings() == null ? List.<TemperatureReadingBatch.Reading>of() : batch.readings()) {
            TemperatureMonitor.Reading reading = r == null ? null : new TemperatureMonitor.Reading(r.equipmentId(), r.at(), r.celsius());
            if (reading == null || problem(reading, equipment, now) != null) {
                dropped++;
            } else {
                good.add(reading);
            }
        }
        if (dropped > 0) {
            LOG.warnf("%d invalid reading(s) of %s dropped from a gateway batch", dropped, batch.storagePointId());
        }
        if (!good.isEmpty()) {
            monitor.ingest(batch.storagePointId(), good, now);
        }
    }

    private Set<String> equipmentOf(String pointId) {
        return Equipment.ofPoint(pointId).stream().map(e -> e.id).collect(Collectors.toSet());
    }

    private String problem(TemperatureMonitor.Reading r, Set<String> equipment, Instant now) {
        if (r.equipmentId() == null || !equipment.contains(r.equipmentId())) {
            return "equipmentId is not equipment of this storage point";
        }
        if (r.at() == null) {
            return "at is required";
        }
        if (r.at().isAfter(now.plus(config.temperature().clockSkew()))) {
            return "at is in the future";
        }
        if (Double.isNaN(r.celsius()) || r.celsius() < PLAUSIBLE_MIN || r.celsius() > PLAUSIBLE_MAX) {
            return "celsius is not a plausible temperature";
        }
        return null;
    }
}
