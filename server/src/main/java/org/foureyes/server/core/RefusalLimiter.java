package org.foureyes.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * How many {@code statement.refused} entries a principal may cause: at most {@code perMinute} with
 * entry times in any minute. It counts the refusals <em>in the log</em>, whichever instance
 * appended them: {@link ServerLedger} feeds it every entry it applies (its own, other instances'
 * caught up from the database, and all of them again on a rebuild), and the decision is taken on
 * the writer thread under the log lock with the ledger at the log's head, so several instances on
 * one database share one limit. A refusal beyond it is still answered, but not logged (see
 * docs/workflow.md). Principals are those of the policy (only authentic statements are logged), so
 * the map stays small; each principal keeps at most a minute of entry times. Not thread-safe: used
 * under the ledger's lock.
 */
public final class RefusalLimiter {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Map<String, ArrayDeque<Instant>> recent = new HashMap<>();

    /** @param perMinute refusals logged per principal in any minute; 0 logs none */
    public RefusalLimiter(int perMinute) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must not be negative");
        }
        this.perMinute = perMinute;
    }

    public int perMinute() {
        return perMinute;
    }

    /** A limiter with the same limit and no history (for a ledger rebuilt from the log). */
    RefusalLimiter empty() {
        return new RefusalLimiter(perMinute);
    }

    /** Records a {@code statement.refused} entry of {@code principal} at entry time {@code time}. */
    void logged(String principal, Instant time) {
        ArrayDeque<Instant> times = recent.computeIfAbsent(principal, p -> new ArrayDeque<>());
        times.addLast(time);
        prune(times, time);
    }

    /** Whether a refusal of {@code principal} at entry time {@code time} may be logged. */
    boolean mayLog(String principal, Instant time) {
        if (perMinute == 0) {
            return false;
        }
        ArrayDeque<Instant> times = recent.get(principal);
        if (times == null) {
            return true;
        }
        prune(times, time);
        return times.size() < perMinute;
    }

    /** Drops the times a minute or more before {@code now}. */
    private static void prune(ArrayDeque<Instant> times, Instant now) {
        Instant horizon = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.pollFirst();
        }
    }
}
