package org.foureyes.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that tests set and advance; it does not move by itself unless ticking. */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;
    private volatile Duration offset = null; // when set: real time + offset

    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Follows the real clock, shifted by {@code offset} (so entry times keep moving). */
    public static TestClock ticking() {
        TestClock c = new TestClock(Instant.now());
        c.offset = Duration.ZERO;
        return c;
    }

    public void advance(Duration d) {
        if (offset != null) {
            offset = offset.plus(d);
        } else {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @Override
    public Instant instant() {
        Duration o = offset;
        return o != null ? Instant.now().plus(o) : now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
