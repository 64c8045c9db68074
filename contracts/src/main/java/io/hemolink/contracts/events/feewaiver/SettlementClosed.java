package io.hemolink.contracts.events.feewaiver;

import java.math.BigDecimal;

/** A hospital's month closed: what the station pays back. Key: {@code hospitalId|yyyy-MM}. */
public record SettlementClosed(String hospitalId, String month, int count, BigDecimal totalWaivedYuan) {
}
