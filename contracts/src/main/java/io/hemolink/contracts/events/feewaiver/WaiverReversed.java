package io.hemolink.contracts.events.feewaiver;

import java.math.BigDecimal;
import java.time.Instant;

/** A waiver reversed (bill cancelled); the entitlement is restored. Key: waiver id. */
public record WaiverReversed(String waiverId, String hospitalId, BigDecimal restoredYuan, String reason, String actor,
                             Instant at) {
}
