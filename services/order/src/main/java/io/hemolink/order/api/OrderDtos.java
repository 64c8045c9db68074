package io.hemolink.order.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.order.domain.AllocatedUnit;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.BloodOrderLine;
import io.hemolink.order.domain.Orders;
import io.hemolink.order.domain.StatusChange;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Request and response bodies of the orders API (api.md, Orders). */
public final class OrderDtos {

    private OrderDtos() {
    }

    /** {@code POST /orders}. */
    public record NewOrder(
            @NotBlank @Size(max = 10) String locationId,
            @NotNull Priority priority,
            Instant neededBy,
            Boolean allowSubstitution,
            @NotNull @Size(min = 1, max = 100) List<@Valid @NotNull NewLine> lines,
            @Size(max = 1000) String notes) {

        Orders.Submission submission() {
            return new Orders.Submission(locationId, priority, neededBy, allowSubstitution,
                    lines.stream().map(NewLine::toDomain).toList(), notes, null);
        }
    }

    /** One line: quantity in the component's unit of issue (U, ml or doses). */
    public record NewLine(
            @NotNull Component component,
            @NotNull Abo abo,
            @NotNull RhD rhd,
            @NotNull @Positive Integer quantity,
            Boolean irradiated,
            Boolean cmvNegative,
            Boolean lowTitre,
            @jakarta.validation.constraints.Size(max = 20)
            List<@NotNull @jakarta.validation.constraints.Size(max = 10) String> antigenNegative) {

        Orders.NewLine toDomain() {
            return new Orders.NewLine(component, abo, rhd, quantity, Boolean.TRUE.equals(irradiated),
                    Boolean.TRUE.equals(cmvNegative), Boolean.TRUE.equals(lowTitre), antigenNegative);
        }

        static NewLine of(Orders.NewLine l) {
            return new NewLine(l.component(), l.abo(), l.rhd(), l.quantity(), l.irradiated(), l.cmvNegative(),
                    l.lowTitre(), l.antigenNegative());
        }
    }

    /**
     * {@code PATCH /orders/{id}}: what changes; a field left out stays as it is, {@code lines} given replace the
     * order's lines (an empty list is refused: cancel the order instead).
     */
    public record Amendment(
            Priority priority,
            Instant neededBy,
            @Size(max = 100) List<@Valid @NotNull AmendedLine> lines) {

        Orders.Amendment toDomain() {
            return new Orders.Amendment(priority, neededBy, lines == null ? null
                    : lines.stream().map(l -> new Orders.AmendedLine(l.lineNo(), l.toDomain())).toList());
        }
    }

    /** A line of an amendment: with {@code lineNo} the order's line of that number, otherwise a new line. */
    public record AmendedLine(
            @Positive Integer lineNo,
            @NotNull Component component,
            @NotNull Abo abo,
            @NotNull RhD rhd,
            @NotNull @Positive Integer quantity,
            Boolean irradiated,
            Boolean cmvNegative,
            Boolean lowTitre,
            @jakarta.validation.constraints.Size(max = 20)
            List<@NotNull @jakarta.validation.constraints.Size(max = 10) String> antigenNegative) {

        Orders.NewLine toDomain() {
            return new NewLine(component, abo, rhd, quantity, irradiated, cmvNegative, lowTitre, antigenNegative)
                    .toDomain();
        }
    }

    /** An order as api.md shows it. */
    public record OrderView(String id, String locationId, Priority priority, OrderStatus status, Instant createdAt,
                            @Schema(nullable = true) Instant neededBy, Instant dueBy, boolean allowSubstitution,
                            boolean breached, @Schema(nullable = true) Instant breachedAt,
                            @Schema(nullable = true) String notes, @Schema(nullable = true) String standingOrderId,
                            @Schema(nullable = true) String issueNoteNo,
                            List<LineView> lines, List<HistoryView> history) {

        static OrderView of(BloodOrder o, String issueNoteNo) {
            return new OrderView(o.id, o.locationId, o.priority, o.status, o.createdAt, o.neededBy, o.dueBy,
                    o.allowSubstitution, o.isBreached(), o.breachedAt, o.notes, o.standingOrderId, issueNoteNo,
                    o.lines.stream().map(LineView::of).toList(), o.history.stream().map(HistoryView::of).toList());
        }
    }

    public record LineView(int lineNo, Component component, Abo abo, RhD rhd, int quantity, Uom uom, boolean irradiated,
                           boolean cmvNegative, boolean lowTitre, List<String> antigenNegative, int allocatedQuantity,
                           List<UnitView> units) {

        static LineView of(BloodOrderLine l) {
            return new LineView(l.lineNo, l.component, l.abo, l.rhd, l.quantity, l.component.uom(), l.irradiated,
                    l.cmvNegative, l.lowTitre, l.antigenNegative == null ? List.of() : List.of(l.antigenNegative),
                    l.allocatedQuantity, l.units.stream().map(UnitView::of).toList());
        }
    }

    /** A bag allocated to a line; {@code accepted} and {@code rejectReason} once receipted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnitView(String din, Component component, String division, Abo abo, RhD rhd, int quantity,
                           Instant expiresAt, boolean irradiated, boolean cmvNegative, boolean lowTitre,
                           List<String> antigenNegative, String productCode, Boolean accepted, String rejectReason) {

        static UnitView of(AllocatedUnit u) {
            io.hemolink.contracts.blood.UnitAttributes a = u.attributes();
            return new UnitView(u.din, u.component, u.division, u.abo, u.rhd, u.quantity, u.expiresAt, a.irradiated(),
                    a.cmvNegative(), a.lowTitre(), a.antigenNegative(), a.productCode(), u.accepted, u.rejectReason);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HistoryView(OrderStatus status, Instant at, String actor, String detail) {

        static HistoryView of(StatusChange c) {
            return new HistoryView(c.status, c.at, c.actor, c.detail);
        }
    }

    public record OrderList(List<OrderView> items, @Schema(nullable = true) String nextCursor) {
    }

    /** {@code POST /orders/{id}/cancel}; the body is optional. */
    public record CancelRequest(@Size(max = 500) String reason) {
    }

    /** {@code POST /orders/{id}/receipt}: every dispatched bag, accepted or rejected with a reason. */
    public record ReceiptRequest(@NotNull @Size(min = 1, max = 1000) List<@Valid @NotNull UnitReceipt> units) {
    }

    public record UnitReceipt(@NotBlank @Size(max = 20) String din, @NotNull Component component,
                              @NotNull Boolean accepted, @Size(max = 500) String reason) {
    }
}
