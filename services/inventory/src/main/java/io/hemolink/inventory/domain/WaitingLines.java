package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.BloodGroup;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.Requirements;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.contracts.compat.CompatibilityTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;

/**
 * EMERGENCY and URGENT order lines that wait because no bag meets their special requirements: open lines not fully
 * allocated that name a requirement (irradiated, CMV-negative, low-titre, antigen-negative) while no usable bag in the
 * station's stock, of any group the line may take, meets every one of them. Dispatch sees them at once (an
 * irradiation, a typed bag from another site, or a call to the hospital), not when the order breaches its due time.
 * <p>
 * A read, computed now from the open demand lines and the station's available bags with the allocator's own rules
 * (the groups {@link CompatibilityTable#donorOptions} allows, low-titre where it says so, the shelf life
 * {@link Allocator#usableUntil} demands); nothing is stored or published. A line leaves the list when it is filled,
 * when its order is dispatched or cancelled, or as soon as a qualifying bag exists (the backorder round then fills it).
 * Each question is an {@code exists} on the station's FEFO index of one group (V8's partial indexes for irradiated,
 * CMV-negative and low-titre), so the read stops at the first qualifying bag however large the stock.
 */
@ApplicationScoped
public class WaitingLines {

    /** Lines read at most (a list for a screen, EMERGENCY first). */
    static final int MAX_LINES = 500;

    /** One waiting line: what it asks, what no bag in stock has, and since when it waits. */
    public record WaitingLine(
            String orderId, int lineNo, String locationId, Priority priority, Component component, Abo abo, RhD rhd,
            Uom uom,
            @Schema(description = "the line's quantity, in the component's unit of issue") int quantity,
            @Schema(description = "what is already allocated to it") int allocatedQuantity,
            @Schema(description = "what it still waits for (quantity - allocatedQuantity)") int waitingQuantity,
            boolean irradiated, boolean cmvNegative, boolean lowTitre, List<String> antigenNegative,
            @Schema(description = "the requirements no usable bag of the groups the line may take meets, by their api.md"
                    + " field names (\"irradiated\", \"cmvNegative\", \"lowTitre\", \"antigenNegative K\"); where each"
                    + " is met by some bag but none meets them together, every requirement of the line")
            List<String> unmet,
            @Schema(description = "available bags of the groups the line may take in the station's stock (its stock"
                    + " levels), none of which meets every requirement: e.g. bags that could be irradiated") int bagsInStock,
            @Schema(description = "when the line was submitted: it has waited since") Instant since,
            @Schema(nullable = true) Instant dueBy) {
    }

    @Inject
    EntityManager em;

    @Inject
    Allocator allocator;

    private final CompatibilityTable compatibility = CompatibilityTable.defaults();

    /** The waiting lines of {@code locationId} (null: every location), EMERGENCY first, then by submission. */
    public List<WaitingLine> list(String locationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select order_id, line_no, location_id, priority, component, abo, rhd, quantity, allocated,
                               allow_substitution, due_by, submitted_at, irradiated, cmv_negative, low_titre,
                               array_to_string(antigen_negative, ',')
                        from demand_line
                        where closed_at is null and allocated < quantity and priority in ('EMERGENCY', 'URGENT')
                        and (irradiated or cmv_negative or low_titre or cardinality(antigen_negative) > 0)
                        and (cast(?1 as varchar) is null or location_id = ?1)
                        order by case priority when 'EMERGENCY' then 0 else 1 end, submitted_at, order_id, line_no
                        limit ?2""")
                .setParameter(1, locationId).setParameter(2, MAX_LINES).getResultList();
        Instant now = Instant.now();
        List<WaitingLine> out = new ArrayList<>();
        for (Object[] r : rows) {
            String antigens = (String) r[15];
            Requirements asked = new Requirements((Boolean) r[12], (Boolean) r[13], (Boolean) r[14],
                    antigens == null || antigens.isEmpty() ? List.of() : List.of(antigens.split(",")));
            Priority priority = Priority.valueOf((String) r[3]);
            Component component = Component.valueOf((String) r[4]);
            Abo abo = Abo.valueOf((String) r[5]);
            RhD rhd = RhD.valueOf((String) r[6]);
            Instant dueBy = instant(r[10]);
            Instant usableUntil = allocator.usableUntil(priority, component, dueBy, now);
            Verdict verdict = verdict(component, BloodGroup.of(abo, rhd), (Boolean) r[9], asked, usableUntil);
            if (verdict == null) {
                continue; // a qualifying bag exists: the backorder round fills the line, it does not wait for one
            }
            int quantity = ((Number) r[7]).intValue();
            int allocated = ((Number) r[8]).intValue();
            out.add(new WaitingLine((String) r[0], ((Number) r[1]).intValue(), (String) r[2], priority, component, abo,
                    rhd, component.uom(), quantity, allocated, quantity - allocated, asked.irradiated(),
                    asked.cmvNegative(), asked.lowTitre(), asked.antigenNegative(), verdict.unmet(), verdict.bags(),
                    instant(r[11]), dueBy));
        }
        return out;
    }

    private record Verdict(List<String> unmet, int bags) {
    }

    /**
     * Null when some usable station bag of a group the line may take meets all it asks; otherwise what no such bag
     * has and how many usable bags of those groups there are.
     */
    private Verdict verdict(Component component, BloodGroup patient, boolean substitution, Requirements asked,
                            Instant usableUntil) {
        List<CompatibilityTable.DonorOption> options = substitution
                ? compatibility.donorOptions(component.productClass(), patient)
                : List.of(new CompatibilityTable.DonorOption(patient, false));
        List<String> wanted = asked.unmetBy(null); // every requirement the line names, by its field name
        Set<String> somewhere = new LinkedHashSet<>();
        int bags = 0;
        for (CompatibilityTable.DonorOption option : options) {
            Requirements needed = option.lowTitreOnly()
                    ? new Requirements(asked.irradiated(), asked.cmvNegative(), true, asked.antigenNegative())
                    : asked;
            Probe probe = probe(component, option.group(), needed, usableUntil);
            if (probe.all()) {
                return null;
            }
            somewhere.addAll(probe.has());
            bags += probe.bags();
        }
        List<String> unmet = wanted.stream().filter(w -> !somewhere.contains(w)).toList();
        return new Verdict(unmet.isEmpty() ? wanted : unmet, bags);
    }

    /**
     * What the usable station bags of one group have: every requirement together, each one alone; and how many
     * available bags of the group the station holds (its stock level row, so the read never counts bags).
     */
    private record Probe(boolean all, Set<String> has, int bags) {
    }

    private Probe probe(Component component, BloodGroup group, Requirements needed, Instant usableUntil) {
        // fixed fragments only (antigens are bound parameters), so each exists reads the matching partial index
        String where = " from unit where location_id = ?1 and component = ?2 and abo = ?3 and rhd = ?4"
                + " and status = 'AVAILABLE' and expires_at > ?5";
        List<String> names = new ArrayList<>();
        List<String> predicates = new ArrayList<>();
        if (needed.irradiated()) {
            names.add("irradiated");
            predicates.add(" and irradiated");
        }
        if (needed.cmvNegative()) {
            names.add("cmvNegative");
            predicates.add(" and cmv_negative");
        }
        if (needed.lowTitre()) {
            names.add("lowTitre");
            predicates.add(" and low_titre");
        }
        List<String> antigens = needed.antigenNegative();
        for (int i = 0; i < antigens.size(); i++) {
            names.add("antigenNegative " + antigens.get(i));
            predicates.add(" and antigen_negative @> cast(?" + (7 + i) + " as text[])");
        }
        StringBuilder sql = new StringBuilder("select exists(select 1").append(where).append(String.join("", predicates))
                .append(" and antigen_negative @> cast(?6 as text[]))");
        for (String p : predicates) {
            sql.append(", exists(select 1").append(where).append(p).append(')');
        }
        sql.append(", coalesce((select bags from stock_level where location_id = ?1 and component = ?2 and abo = ?3"
                + " and rhd = ?4), 0)");
        var query = em.createNativeQuery(sql.toString())
                .setParameter(1, LocationId.STATION).setParameter(2, component.name())
                .setParameter(3, group.abo().name()).setParameter(4, group.rhd().name())
                .setParameter(5, utc(usableUntil)).setParameter(6, Allocator.textArray(antigens));
        for (int i = 0; i < antigens.size(); i++) {
            query.setParameter(7 + i, Allocator.textArray(List.of(antigens.get(i))));
        }
        Object[] r = (Object[]) query.getSingleResult();
        Set<String> has = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (Boolean.TRUE.equals(r[1 + i])) {
                has.add(names.get(i));
            }
        }
        return new Probe(Boolean.TRUE.equals(r[0]), has, ((Number) r[r.length - 1]).intValue());
    }
}
