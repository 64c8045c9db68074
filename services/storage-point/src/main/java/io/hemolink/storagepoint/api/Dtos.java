package io.hemolink.storagepoint.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.EquipmentKind;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.contracts.events.storage.QuarantineDecided;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the storage-point API (api.md, Storage points). */
public final class Dtos {

    private Dtos() {
    }

    /** {@code POST /storage-points}. */
    public record NewStoragePoint(
            @NotBlank @Pattern(regexp = "SP\\d{2}", message = "a storage point id is SP and two digits") String id,
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Pattern(regexp = "H\\d{3}", message = "a hospital id is H and three digits") String hostHospitalId,
            @NotNull @Size(min = 1, max = 50) List<@Valid @NotNull NewEquipment> equipment,
            @Size(max = 200) List<@Valid @NotNull NewParLevel> parLevels) {
    }

    public record NewEquipment(
            @NotBlank @Pattern(regexp = "[A-Z0-9][A-Z0-9-]{0,39}", message = "1-40 capital letters, digits and dashes") String id,
            @NotNull EquipmentKind kind) {
    }

    /** Par level in the component's unit of issue. */
    public record NewParLevel(@NotNull Component component, @NotNull Abo abo, @NotNull RhD rhd,
                              @NotNull @PositiveOrZero @Max(100000) Integer min,
                              @NotNull @Positive @Max(100000) Integer target) {
    }

    /** {@code PUT /storage-points/{id}/par-levels}: the point's par levels, all of them. */
    public record ParLevels(@NotNull @Size(max = 200) List<@Valid @NotNull NewParLevel> parLevels) {
    }

    /** {@code POST /storage-points/{id}/temperature-readings}. */
    public record Readings(@NotNull @Size(min = 1, max = 5000) List<@Valid @NotNull Reading> readings) {
    }

    public record Reading(@NotBlank @Size(max = 40) String equipmentId, @NotNull Instant at,
                          @NotNull @DecimalMin("-100") @DecimalMax("100") Double celsius) {
    }

    public record ReadingsAccepted(int received, int stored, int duplicates, List<UUID> excursions) {
    }

    /** A unit named by DIN and component. */
    public record UnitKey(@NotBlank @Size(max = 20) String din, @NotNull Component component) {
    }

    /** {@code POST /storage-points/{id}/quarantine-decisions}. */
    public record Decision(@NotNull @Size(min = 1, max = 500) List<@Valid @NotNull UnitKey> units,
                           @NotNull QuarantineDecided.Decision decision) {
    }

    public record DecisionMade(UUID decisionId, String storagePointId, QuarantineDecided.Decision decision,
                               List<UnitKeyView> units, String actor, Instant at) {
    }

    public record UnitKeyView(String din, Component component) {
    }

    /** {@code POST /storage-points/{id}/issues}. */
    public record NewIssue(@NotBlank @Size(max = 20) String din, @NotNull Component component,
                           @NotBlank @Size(max = 64) String patientRef, @NotNull Abo patientAbo,
                           @NotNull RhD patientRhd, Boolean irradiated, Boolean cmvNegative,
                           @Size(max = 20) List<@NotNull @Size(max = 10) String> antigenNegative) {

        /** What the patient needs of the bag (api.md Additions); a bag that lacks any of it is refused. */
        public io.hemolink.contracts.blood.Requirements requirements() {
            return new io.hemolink.contracts.blood.Requirements(Boolean.TRUE.equals(irradiated),
                    Boolean.TRUE.equals(cmvNegative), false, antigenNegative);
        }
    }

    public record IssueView(UUID issueId, String storagePointId, String din, Component component, Abo abo, RhD rhd,
                            int quantity, Instant expiresAt, @Schema(nullable = true) String equipmentId, Abo patientAbo,
                            RhD patientRhd, String compatibilityTable, String actor, Instant issuedAt) {
    }

    /** {@code POST /transfers}. */
    public record NewTransfer(@NotNull @Size(min = 1, max = 500) List<@Valid @NotNull UnitKey> units,
                              @NotBlank @Size(max = 10) String fromLocationId,
                              @NotBlank @Size(max = 10) String toLocationId,
                              @Size(max = 40) String equipmentId) {
    }

    public record TransferView(UUID transferId, String status, String fromLocationId, String toLocationId,
                               @Schema(nullable = true) String equipmentId, List<UnitKeyView> units, Instant requestedAt) {
    }

    public record Proposals(Instant asOf, String window, List<ProposalView> items) {
    }

    public record ProposalView(String din, Component component, Abo abo, RhD rhd, int quantity, Instant expiresAt,
                               String fromLocationId, @Schema(nullable = true) String equipmentId, String toLocationId,
                               int toTransfusedInWindow, int fromTransfusedInWindow) {
    }

    /** A storage point with its equipment status, stock and par levels. */
    public record StoragePointView(String id, String name, @Schema(nullable = true) String hostHospitalId,
                                   List<EquipmentView> equipment,
                                   List<StockLine> stock, List<ParLevelView> parLevels, List<AlertView> activeAlerts,
                                   Instant asOf) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EquipmentView(String id, EquipmentKind kind, Double minCelsius, Double maxCelsius,
                                LastReading lastReading, String state, UUID openExcursionId, Instant noDataSince) {
    }

    public record LastReading(Instant at, double celsius, boolean inRange) {
    }

    public record StockLine(Component component, Abo abo, RhD rhd, Uom uom, int bags, int quantity,
                            int availableQuantity, int quarantinedBags, int expiringWithin72h) {
    }

    public record ParLevelView(Component component, Abo abo, RhD rhd, int min, int target, int stock,
                               @Schema(nullable = true) UUID openReplenishmentId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExcursionView(UUID id, String storagePointId, String equipmentId, String reason, Instant since,
                                Instant detectedAt, double minCelsius, double maxCelsius, Instant endedAt,
                                List<UnitKeyView> unitsQuarantined) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlertView(UUID id, String kind, String equipmentId, Instant since, Instant raisedAt,
                            Instant clearedAt) {
    }

    /** A page of a list: {@code nextCursor} is null on the last page. */
    public record Page<T>(List<T> items, @Schema(nullable = true) String nextCursor) {
    }
}
