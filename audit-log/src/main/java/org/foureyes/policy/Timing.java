package org.foureyes.policy;

import java.time.Duration;

/**
 * Time limits, judged on the signed {@code iat} of statements.
 *
 * @param pendingTtl a request expires this long after its {@code iat} without enough approvals
 * @param applyTtl an approved change expires this long after its last approving decision's
 *     {@code iat} if no agent reported it applied
 */
public record Timing(Duration pendingTtl, Duration applyTtl) {}
