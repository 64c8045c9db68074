package io.hemolink.feewaiver.domain;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configured rule set, and the one this deployment runs: {@code selected} names a rule set, whose region's
 * versions succeed each other by effective date, so a claim is judged by the version in effect on its day.
 */
public final class RuleBook {

    private final Map<String, RuleSet> byId;
    private final RuleSet selected;
    private final PriceList prices;

    public RuleBook(List<RuleSet> ruleSets, String selectedId, PriceList prices) {
        this.byId = ruleSets.stream().collect(Collectors.toUnmodifiableMap(RuleSet::id, Function.identity()));
        this.selected = byId.get(selectedId);
        if (selected == null) {
            throw new IllegalArgumentException("no rule set " + selectedId + " is configured (known: "
                    + byId.keySet().stream().sorted().toList() + ")");
        }
        List<RuleSet> region = ofRegion(selected.region());
        for (int i = 1; i < region.size(); i++) {
            RuleSet before = region.get(i - 1);
            if (before.effectiveTo() == null || before.effectiveTo().isAfter(region.get(i).effectiveFrom())) {
                throw new IllegalArgumentException("rule sets " + before.id() + " and " + region.get(i).id() + " overlap");
            }
        }
        this.prices = prices;
    }

    public RuleSet selected() {
        return selected;
    }

    public PriceList prices() {
        return prices;
    }

    public Optional<RuleSet> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The version of the deployment's region in effect on {@code day}, if any. */
    public Optional<RuleSet> inEffectOn(LocalDate day) {
        return ofRegion(selected.region()).stream().filter(r -> r.inEffectOn(day)).findFirst();
    }

    private List<RuleSet> ofRegion(String region) {
        return byId.values().stream().filter(r -> r.region().equals(region))
                .sorted(Comparator.comparing(RuleSet::effectiveFrom)).toList();
    }
}
