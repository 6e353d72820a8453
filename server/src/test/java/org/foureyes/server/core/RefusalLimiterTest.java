package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The refusal limit counts logged refusals per principal in the minute before an entry's time. */
class RefusalLimiterTest {
    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void mayLog_belowTheLimit_trueThenFalseOnceTheMinuteHoldsThatMany() {
        RefusalLimiter r = new RefusalLimiter(2);
        assertThat(r.mayLog("ines", T)).isTrue();
        r.logged("ines", T);
        assertThat(r.mayLog("ines", T.plusSeconds(1))).isTrue();
        r.logged("ines", T.plusSeconds(1));
        assertThat(r.mayLog("ines", T.plusSeconds(2))).isFalse();
        // Another principal has its own count.
        assertThat(r.mayLog("nora", T.plusSeconds(2))).isTrue();
    }

    @Test
    void mayLog_aMinuteAfterARefusal_countsItNoMore() {
        RefusalLimiter r = new RefusalLimiter(1);
        r.logged("ines", T);
        assertThat(r.mayLog("ines", T.plus(Duration.ofSeconds(59)))).isFalse();
        assertThat(r.mayLog("ines", T.plus(Duration.ofMinutes(1)))).isTrue();
    }

    @Test
    void mayLog_zeroPerMinute_neverLogs() {
        assertThat(new RefusalLimiter(0).mayLog("ines", T)).isFalse();
    }

    @Test
    void empty_keepsTheLimitAndForgetsTheHistory() {
        RefusalLimiter r = new RefusalLimiter(1);
        r.logged("ines", T);
        RefusalLimiter fresh = r.empty();
        assertThat(fresh.perMinute()).isEqualTo(1);
        assertThat(fresh.mayLog("ines", T)).isTrue();
    }

    @Test
    void constructor_negativeLimit_refused() {
        assertThatThrownBy(() -> new RefusalLimiter(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
