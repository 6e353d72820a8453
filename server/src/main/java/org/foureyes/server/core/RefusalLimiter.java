package org.foureyes.server.core;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * How many {@code statement.refused} entries a principal may cause: a token bucket per principal
 * that holds at most {@code perMinute} tokens and refills at {@code perMinute} per minute. A refusal
 * beyond it is still answered, but not logged (see docs/workflow.md). Principals are those of the
 * policy (only authentic statements are counted), so the map stays small. Thread-safe.
 */
public final class RefusalLimiter {
    private final int perMinute;
    private final Clock clock;
    private final Map<String, double[]> buckets = new HashMap<>(); // principal -> {tokens, lastMillis}

    /** @param perMinute refusals logged per principal and minute (and burst); 0 logs none */
    public RefusalLimiter(int perMinute, Clock clock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must not be negative");
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes a token for the principal; false when its bucket is empty. */
    public synchronized boolean tryAcquire(String principal) {
        if (perMinute == 0) {
            return false;
        }
        long now = clock.millis();
        double[] b = buckets.computeIfAbsent(principal, p -> new double[] {perMinute, now});
        double elapsed = Math.max(0, now - (long) b[1]);
        b[0] = Math.min(perMinute, b[0] + elapsed * perMinute / 60_000.0);
        b[1] = now;
        if (b[0] >= 1) {
            b[0] -= 1;
            return true;
        }
        return false;
    }

    public int perMinute() {
        return perMinute;
    }
}
