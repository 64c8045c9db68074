package io.hemolink.feewaiver.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.feewaiver.DonationKind;
import io.hemolink.feewaiver.domain.Claims;
import io.hemolink.feewaiver.domain.Entitlements;
import io.hemolink.feewaiver.domain.Relation;
import io.hemolink.feewaiver.domain.RuleSet;
import io.hemolink.feewaiver.domain.Settlements;
import io.hemolink.feewaiver.domain.WaiverCalculator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Request and response bodies of the fee-waiver API (api.md, Direct fee waiver). ID numbers and names come in
 * bodies only (never URLs) and go out masked only ({@code 3301**********123X}, {@code 张*}).
 */
public final class FeeWaiverDtos {

    private FeeWaiverDtos() {
    }

    /**
     * {@code POST /donations}. {@code abo} and {@code rhd}, optional, are the donation's group where known: what counts
     * it towards a recruitment appeal (ADR 0038); a given {@code rhd} must agree with {@code rhdNegative}, and with
     * only {@code abo} given the RhD is the one {@code rhdNegative} states.
     */
    public record NewDonation(
            @NotBlank @Size(max = 40) String donationId,
            @NotBlank @Size(max = 18) String donorIdNumber,
            @NotBlank @Size(max = 50) String donorName,
            @NotNull Instant donatedAt,
            @NotNull DonationKind kind,
            @Positive Integer volumeMl,
            @Positive Integer doses,
            @NotNull Boolean rhdNegative,
            Abo abo,
            RhD rhd) {
    }

    /** A donation; {@code abo} and {@code rhd} are absent when the donation was recorded without its group. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DonationView(String donationId, String donorRef, String donorIdNumber, String donorName,
                               Instant donatedAt, DonationKind kind, Integer volumeMl, Integer doses,
                               boolean rhdNegative, Abo abo, RhD rhd, String source) {
    }

    /** {@code POST /donors/relations}. */
    public record NewRelation(
            @NotBlank @Size(max = 18) String donorIdNumber,
            @NotBlank @Size(max = 18) String relativeIdNumber,
            @NotNull Relation relation,
            @NotBlank @Size(max = 200) String evidenceRef) {
    }

    public record RelationView(String relationId, String donorRef, String donorIdNumber, String relativeIdNumber,
                               Relation relation, String evidenceRef, String createdBy, Instant createdAt) {
    }

    /** {@code POST /donors/entitlement-query}: the ID number in the body, never in a URL. */
    public record EntitlementQuery(@NotBlank @Size(max = 18) String idNumber) {
    }

    /** One pool in its rule set's unit: ml for volume rule sets, yuan for the money model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PoolView(boolean unlimited, BigDecimal capMl, BigDecimal usedMl, BigDecimal remainingMl,
                           BigDecimal capYuan, BigDecimal usedYuan, BigDecimal remainingYuan) {

        static PoolView of(Entitlements.PoolState p) {
            if (p.unit() == RuleSet.Unit.ML) {
                return new PoolView(p.unlimited(), p.cap(), p.used(), p.remaining(), null, null, null);
            }
            return new PoolView(p.unlimited(), null, null, null, p.cap(), p.used(), p.remaining());
        }
    }

    /** A relation in which the person asked about is the relative. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AsRelative(String donorRef, Relation relation, boolean covered, PoolView relatives) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entitlement(String donorRef, String idNumber, int donations, int donatedMl, int creditedMl,
                              boolean lifetime, PoolView self, PoolView relatives, List<Relation> relations,
                              List<AsRelative> asRelative, String ruleSet) {
    }

    /** One bill line: {@code quantity} in the component's unit of issue (U, ml, dose). */
    public record BillItem(
            @NotNull Component component,
            @NotNull @Positive @Digits(integer = 6, fraction = 2) BigDecimal quantity,
            @NotNull @PositiveOrZero @Digits(integer = 9, fraction = 2) BigDecimal amountYuan) {
    }

    /** {@code POST /fee-waivers/quote} and {@code POST /fee-waivers}. */
    public record Bill(
            @NotBlank @Size(max = 10) String hospitalId,
            @NotBlank @Size(max = 64) String billNo,
            @NotBlank @Size(max = 18) String patientIdNumber,
            @NotBlank @Size(max = 50) String patientName,
            @NotEmpty @Size(max = 100) List<@Valid @NotNull BillItem> items,
            @PositiveOrZero @DecimalMax("999999999.99") @Digits(integer = 9, fraction = 2) BigDecimal insuranceCoveredYuan) {

        Claims.Bill toDomain() {
            return new Claims.Bill(hospitalId, billNo, patientIdNumber, patientName, items.stream()
                    .map(i -> new WaiverCalculator.Item(i.component(), i.quantity(), i.amountYuan())).toList(),
                    insuranceCoveredYuan);
        }
    }

    /** Which donor's entitlement a waiver draws on and by which relation ({@code SELF}: the patient is the donor). */
    public record BasisView(String donorRef, String relation, RuleSet.PoolKind pool, BigDecimal waivedYuan,
                            BigDecimal ml) {

        static BasisView of(Claims.Basis b) {
            return new BasisView(b.donorRef(), Claims.relationName(b.relation()), b.pool(), b.waivedYuan(), b.ml());
        }

        static BasisView of(WaiverCalculator.Draw d) {
            return new BasisView(d.candidate().donorRef(), Claims.relationName(d.candidate().relation()),
                    d.candidate().pool(), d.yuan(), d.ml());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quote(boolean eligible, List<BasisView> basis, BigDecimal billTotalYuan,
                        BigDecimal insuranceCoveredYuan, BigDecimal stationSideYuan, BigDecimal waivableYuan,
                        BigDecimal patientPaysYuan, String ruleSet, List<String> reasons) {

        static Quote of(Claims.Assessment a) {
            WaiverCalculator.Result r = a.result();
            return new Quote(a.eligible(), r.draws().stream().map(BasisView::of).toList(), r.billTotalYuan(),
                    r.insuranceYuan(), r.stationSideYuan(), r.waivableYuan(), r.patientPaysYuan(), a.ruleSet(),
                    a.reasons());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WaiverView(String waiverId, String hospitalId, String billNo, String status, String patientIdNumber,
                             String patientName, String ruleSet, BigDecimal billTotalYuan,
                             BigDecimal insuranceCoveredYuan, BigDecimal waivedYuan, BigDecimal patientPaysYuan,
                             List<BasisView> basis, Instant claimedAt, String claimedBy, Instant reversedAt,
                             String reversedBy, String reversalReason) {
    }

    public record WaiverList(List<WaiverView> items, @Schema(nullable = true) String nextCursor) {
    }

    /** {@code POST /fee-waivers/{id}/reversal}. */
    public record Reversal(@NotBlank @Size(max = 500) String reason) {
    }

    public record StatementLine(String waiverId, String billNo, String kind, Instant at, BigDecimal amountYuan,
                                String ruleSet) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Statement(String hospitalId, String month, int count, int claims, int reversals,
                            BigDecimal totalWaivedYuan, boolean closed, Instant closedAt, String closedBy,
                            List<StatementLine> items) {

        static Statement of(Settlements.Statement s) {
            return new Statement(s.hospitalId(), s.month().toString(), s.count(), s.claims(), s.reversals(),
                    s.totalWaivedYuan(), s.closed(), s.closedAt(), s.closedBy(), s.items().stream()
                    .map(l -> new StatementLine(l.waiverId().toString(), l.billNo(), l.kind(), l.at(), l.amountYuan(),
                            l.ruleSet())).toList());
        }
    }
}
