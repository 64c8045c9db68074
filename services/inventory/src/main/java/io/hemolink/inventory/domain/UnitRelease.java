package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.UnitAttributes;

import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.contracts.isbt.InvalidDinException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;

/** The station releases a tested unit into stock: the first movement of its ledger. */
@ApplicationScoped
public class UnitRelease {

    /** What the station says about a unit it releases. */
    public record Request(String din, Component component, String division, Abo abo, RhD rhd, int volumeMl,
                          int quantity, Instant collectedAt, Instant expiresAt, String locationId,
                          UnitAttributes attributes) {
    }

    /** A label's expiry is often the end of its last day: that much later than collection + shelf life is accepted. */
    static final java.time.Duration EXPIRY_LABEL_SLACK = java.time.Duration.ofDays(1);

    @Inject
    StockLedger ledger;

    @Inject
    io.hemolink.common.domain.SpecialAttributeRules rules;

    @Transactional(Transactional.TxType.MANDATORY)
    public Unit release(Request r, String actor) {
        Din din = parseDin(r.din());
        String division = r.division() == null ? "" : r.division().strip().toUpperCase();
        if (!division.matches("[A-Z0-9]{0,6}")) {
            throw DomainException.invalid("DIVISION_INVALID", "a division is up to 6 letters or digits", "division");
        }
        String location = r.locationId() == null ? LocationId.STATION : r.locationId();
        if (!LocationId.isValid(location)) {
            throw DomainException.invalid("LOCATION_INVALID", "no such location: " + location, "locationId");
        }
        Instant now = Instant.now();
        if (r.collectedAt().isAfter(now.plusSeconds(300))) {
            throw DomainException.invalid("COLLECTED_IN_FUTURE", "collectedAt is in the future", "collectedAt");
        }
        Instant expires = r.expiresAt() != null ? r.expiresAt() : r.collectedAt().plus(r.component().shelfLife());
        if (!expires.isAfter(r.collectedAt())) {
            throw DomainException.invalid("EXPIRY_INVALID", "expiresAt must be after collectedAt", "expiresAt");
        }
        if (expires.isAfter(r.collectedAt().plus(r.component().longestShelfLife()).plus(EXPIRY_LABEL_SLACK))) {
            throw DomainException.invalid("EXPIRY_BEYOND_SHELF_LIFE", "expiresAt is later than " + r.component()
                    + " keeps from collection (" + r.component().longestShelfLife().toDays() + " days)", "expiresAt");
        }
        if (!expires.isAfter(now)) {
            throw DomainException.invalid("UNIT_EXPIRED", "the unit expired at " + expires, "expiresAt");
        }
        UnitAttributes attributes = r.attributes() == null ? UnitAttributes.NONE : r.attributes();
        checkAttributes(r.component(), attributes);
        if (Unit.find(din.canonical(), r.component(), division).isPresent()) {
            throw DomainException.conflict("UNIT_EXISTS", din.canonical() + " " + r.component()
                    + (division.isEmpty() ? "" : " division " + division) + " is already in stock");
        }
        Unit unit = new Unit();
        unit.din = din.canonical();
        unit.component = r.component();
        unit.division = division;
        unit.abo = r.abo();
        unit.rhd = r.rhd();
        unit.volumeMl = r.volumeMl();
        unit.quantity = r.quantity();
        unit.uom = r.component().uom();
        unit.collectedAt = r.collectedAt();
        unit.expiresAt = expires;
        unit.attributes(attributes);
        try {
            ledger.record(unit, MovementType.RECEIVED, UnitStatus.AVAILABLE, location, StockLedger.Details.by(actor, now));
        } catch (org.hibernate.exception.ConstraintViolationException e) {
            if (!"unit_identity".equals(e.getConstraintName())) {
                throw e;
            }
            // a concurrent release of the same unit won the unique constraint
            throw DomainException.conflict("UNIT_EXISTS", din.canonical() + " " + r.component() + " is already in stock");
        }
        return unit;
    }

    /** The attributes must be well-formed, from the station's antigen list, and ones the component can have. */
    private void checkAttributes(Component component, UnitAttributes a) {
        if (a.productCode() != null && !UnitAttributes.isProductCode(a.productCode())) {
            throw DomainException.invalid("PRODUCT_CODE_INVALID",
                    "a product code is one capital letter and four digits (ISBT 128), e.g. E0336", "productCode");
        }
        rules.check(component, a.irradiated(), a.cmvNegative(), a.antigenNegative(), "", "ATTRIBUTE_NOT_APPLICABLE");
    }

    /** A DIN as given in a request or a path, or 422 DIN_INVALID with the reason. */
    public static Din parseDin(String text) {
        try {
            return Din.parse(text);
        } catch (InvalidDinException e) {
            throw DomainException.invalid("DIN_INVALID", e.getMessage(), "din");
        }
    }
}
