package io.hemolink.storagepoint.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.EquipmentKind;
import io.hemolink.contracts.blood.RhD;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/** Registering a storage point with its equipment and par levels; the first par evaluation follows at once. */
@ApplicationScoped
public class Registry {

    @Inject
    EntityManager em;

    @Inject
    Replenishment replenishment;

    @Inject
    io.hemolink.storagepoint.config.StoragePointConfig config;

    public record NewEquipment(String id, EquipmentKind kind) {
    }

    public record NewPar(Component component, Abo abo, RhD rhd, int min, int target) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public StoragePoint register(String id, String name, String hostHospitalId, List<NewEquipment> equipment,
                                 List<NewPar> parLevels, Instant now) {
        if (!config.hospitals().contains(hostHospitalId)) {
            throw DomainException.invalid("HOSPITAL_UNKNOWN", "no hospital " + hostHospitalId
                    + " in the region (hemolink.storage-point.hospitals)", "hostHospitalId");
        }
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended('storage-point-registry', 0))").getSingleResult();
        if (StoragePoint.byId(id).isPresent()) {
            throw DomainException.conflict("STORAGE_POINT_EXISTS", "storage point " + id + " is already registered");
        }
        for (NewEquipment e : equipment) {
            if (Equipment.findByIdOptional(e.id()).isPresent()) {
                throw DomainException.conflict("EQUIPMENT_EXISTS", "equipment " + e.id() + " is already registered");
            }
        }
        StoragePoint p = new StoragePoint();
        p.id = id;
        p.name = name;
        p.hostHospitalId = hostHospitalId;
        p.createdAt = now;
        p.persist();
        for (NewEquipment e : equipment) {
            Equipment q = new Equipment();
            q.id = e.id();
            q.storagePointId = id;
            q.kind = e.kind();
            q.createdAt = now;
            q.persist();
        }
        em.flush();
        insertParLevels(id, parLevels);
        replenishment.evaluate(id, now);
        return p;
    }

    /**
     * Replaces the point's par levels (a line left out has none any more); the par evaluation follows at once, so a
     * line now below its min asks for stock. A request already open stays until its order closes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public StoragePoint replaceParLevels(String id, List<NewPar> parLevels, Instant now) {
        StoragePoint p = StoragePoint.<StoragePoint>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("storage point " + id));
        em.createNativeQuery("delete from par_level where storage_point_id = ?1").setParameter(1, id).executeUpdate();
        insertParLevels(id, parLevels);
        replenishment.evaluate(id, now);
        return p;
    }

    private void insertParLevels(String id, List<NewPar> parLevels) {
        for (NewPar par : parLevels) {
            em.createNativeQuery("""
                            insert into par_level (storage_point_id, component, abo, rhd, min_quantity, target_quantity)
                            values (?1, ?2, ?3, ?4, ?5, ?6)""")
                    .setParameter(1, id).setParameter(2, par.component().name()).setParameter(3, par.abo().name())
                    .setParameter(4, par.rhd().name()).setParameter(5, par.min()).setParameter(6, par.target())
                    .executeUpdate();
        }
    }
}
