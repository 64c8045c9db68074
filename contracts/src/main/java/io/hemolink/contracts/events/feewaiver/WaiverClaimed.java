package io.hemolink.contracts.events.feewaiver;

import java.math.BigDecimal;
import java.time.Instant;

/** Fees waived at a hospital's billing window. Key: waiver id. */
public record WaiverClaimed(String waiverId, String hospitalId, String billNo, String donorRef, String relation,
                            BigDecimal waivedYuan, String ruleSet, Instant at) {
}
