package io.hemolink.inventory.api;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitFates;
import io.hemolink.inventory.domain.UnitMovement;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Request and response bodies of the units API (api.md, Inventory). */
public final class UnitDtos {

    private UnitDtos() {
    }

    /** {@code POST /units}. */
    public record NewUnit(
            @NotBlank @Size(max = 20) String din,
            @NotNull Component component,
            @NotNull Abo abo,
            @NotNull RhD rhd,
            @NotNull @Positive @Max(2000) Integer volumeMl,
            @NotNull @Positive @Max(10000) Integer quantity,
            @NotNull Instant collectedAt,
            Instant expiresAt,
            @Size(max = 10) String locationId,
            @Size(max = 6) String division,
            Boolean irradiated,
            Boolean cmvNegative,
            Boolean lowTitre,
            @Size(max = 20) List<@NotNull @Size(max = 10) String> antigenNegative,
            @Size(max = 10) String productCode) {

        public io.hemolink.contracts.blood.UnitAttributes attributes() {
            return new io.hemolink.contracts.blood.UnitAttributes(Boolean.TRUE.equals(irradiated),
                    Boolean.TRUE.equals(cmvNegative), Boolean.TRUE.equals(lowTitre), antigenNegative, productCode);
        }
    }

    /** A unit as api.md shows it; {@code history} only on the single-unit view. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record UnitView(String din, Component component, String division, Abo abo, RhD rhd, int volumeMl,
                           int quantity, Uom uom, Instant collectedAt, Instant expiresAt, UnitStatus status,
                           String locationId, String equipmentId, String orderId, boolean irradiated,
                           boolean cmvNegative, boolean lowTitre, List<String> antigenNegative,
                           @Schema(nullable = true) String productCode,
                           List<HistoryEntry> history) {

        public static UnitView of(Unit u) {
            return of(u, null);
        }

        public static UnitView of(Unit u, List<HistoryEntry> history) {
            return new UnitView(u.din, u.component, u.division.isEmpty() ? null : u.division, u.abo, u.rhd, u.volumeMl,
                    u.quantity, u.uom, u.collectedAt, u.expiresAt, u.status, u.locationId, u.equipmentId, u.orderId,
                    u.special.irradiated, u.special.cmvNegative, u.special.lowTitre, u.attributes().antigenNegative(),
                    u.productCode, history);
        }
    }

    /** One ledger movement of a unit. */
    public record HistoryEntry(String type, Instant at, @Schema(nullable = true) String locationId, String actor,
                               @Schema(nullable = true) String detail,
                               @Schema(nullable = true, description = "on DISCARDED and EXPIRED: why the unit was wasted")
                               io.hemolink.contracts.blood.DiscardReason reasonCode) {

        public static HistoryEntry of(UnitMovement m) {
            String detail = m.reason;
            if (m.orderId != null) {
                detail = detail == null ? "order " + m.orderId : detail + "; order " + m.orderId;
            }
            return new HistoryEntry(m.type.name(), m.occurredAt, m.toLocationId, m.actor, detail, m.reasonCode);
        }
    }

    /** {@code POST /units/{din}/{component}/events}: a fate or hold. */
    public record FateRequest(@NotNull UnitFates.Fate type, @Size(max = 500) String reason,
                              @Schema(description = "required on DISCARDED: why the unit is wasted")
                              io.hemolink.contracts.blood.DiscardReason reasonCode,
                              @Size(max = 100) String patientRef, @NotNull Instant occurredAt) {
    }

    /** {@code GET /units/{din}}. */
    public record Donation(String din, List<UnitView> units) {
    }
}
