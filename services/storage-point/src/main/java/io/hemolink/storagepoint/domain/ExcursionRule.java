package io.hemolink.storagepoint.domain;

import io.hemolink.contracts.blood.TemperatureRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When a piece of equipment is in an excursion, decided by reading time (never by arrival), as plain Java: readings
 * out of range continuously (no in-range reading between them) for longer than {@code after}, or one reading further
 * than {@code hardMargin} outside the range, start an excursion; the first in-range reading after its start ends it.
 * While one is open nothing new starts, and a run that began before the last excursion ended is never counted again.
 */
public final class ExcursionRule {

    public enum Reason {
        DURATION, HARD_LIMIT
    }

    /** One reading. */
    public record Reading(Instant at, double celsius) {
    }

    /** What the readings mean, in time order. */
    public sealed interface Step permits Started, Ended {
    }

    /** An excursion started at {@code since}, recognised at the reading {@code at}. */
    public record Started(Instant since, Instant at, Reason reason, double minCelsius, double maxCelsius) implements Step {
    }

    /** The open excursion ended at the in-range reading {@code at}. */
    public record Ended(Instant at) implements Step {
    }

    private final TemperatureRange range;
    private final Duration after;
    private final double hardMargin;

    public ExcursionRule(TemperatureRange range, Duration after, double hardMargin) {
        this.range = Objects.requireNonNull(range, "range");
        this.after = Objects.requireNonNull(after, "after");
        this.hardMargin = hardMargin;
    }

    public boolean inRange(double celsius) {
        return range.contains(celsius);
    }

    public boolean beyondHardLimit(double celsius) {
        return range.distanceOutside(celsius) > hardMargin;
    }

    /**
     * @param readings   the readings to consider, sorted by time
     * @param openSince  the start of the excursion open now, or null
     * @param lastEnded  when the last closed excursion ended, or null; earlier readings start nothing
     * @return the excursions started and ended, in time order
     */
    public List<Step> evaluate(List<Reading> readings, Instant openSince, Instant lastEnded) {
        List<Step> steps = new ArrayList<>();
        Instant open = openSince;
        Instant ended = lastEnded;
        Instant runStart = null;
        double runMin = 0;
        double runMax = 0;
        for (Reading r : readings) {
            boolean in = inRange(r.celsius());
            if (open != null) {
                if (in && r.at().isAfter(open)) {
                    steps.add(new Ended(r.at()));
                    ended = r.at();
                    open = null;
                    runStart = null;
                }
                continue;
            }
            if (ended != null && !r.at().isAfter(ended)) {
                continue;
            }
            if (in) {
                runStart = null;
                continue;
            }
            if (runStart == null) {
                runStart = r.at();
                runMin = r.celsius();
                runMax = r.celsius();
            } else {
                runMin = Math.min(runMin, r.celsius());
                runMax = Math.max(runMax, r.celsius());
            }
            Reason reason = beyondHardLimit(r.celsius()) ? Reason.HARD_LIMIT
                    : Duration.between(runStart, r.at()).compareTo(after) > 0 ? Reason.DURATION : null;
            if (reason != null) {
                steps.add(new Started(runStart, r.at(), reason, runMin, runMax));
                open = runStart;
            }
        }
        return steps;
    }
}
