package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ChainCheckerTest {

    static final Instant T0 = Instant.parse("2026-11-25T08:00:00.000Z");

    static LogEntry entry(long seq, Instant time, byte[] prev) {
        return LogEntry.create(seq, time, prev, EntryType.CHANGE_EXPIRED, null,
                JsonNodeFactory.instance.objectNode().put("change", seq));
    }

    @Test
    void check_wellFormedChain_accepts() throws Exception {
        ChainChecker c = ChainChecker.fromGenesis();
        LogEntry e0 = entry(0, T0, LogEntry.GENESIS_PREV);
        c.check(e0);
        LogEntry e1 = entry(1, T0, e0.leafHash()); // equal time is allowed
        c.check(e1);
        c.check(entry(2, T0.plusMillis(1), e1.leafHash()));
        assertThat(c.nextSeq()).isEqualTo(3);
    }

    @Test
    void check_firstEntryNotSeqZero_throwsNamingSeq() {
        ChainChecker c = ChainChecker.fromGenesis();
        assertThatThrownBy(() -> c.check(entry(1, T0, LogEntry.GENESIS_PREV)))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("entry 1").hasMessageContaining("expected seq 0");
    }

    @Test
    void check_genesisWithNonZeroPrev_throwsWithExpectedAndGot() {
        ChainChecker c = ChainChecker.fromGenesis();
        byte[] prev = new byte[32];
        prev[31] = 1;
        assertThatThrownBy(() -> c.check(entry(0, T0, prev)))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining(Base64.getEncoder().encodeToString(LogEntry.GENESIS_PREV))
                .hasMessageContaining(Base64.getEncoder().encodeToString(prev));
    }

    @Test
    void check_skippedOrRepeatedSeq_throws() throws Exception {
        ChainChecker c = ChainChecker.fromGenesis();
        LogEntry e0 = entry(0, T0, LogEntry.GENESIS_PREV);
        c.check(e0);
        assertThatThrownBy(() -> c.check(entry(2, T0, e0.leafHash()))).isInstanceOf(ChainException.class);
        assertThatThrownBy(() -> c.check(e0)).isInstanceOf(ChainException.class);
        assertThat(((ChainException) catchChain(c, entry(2, T0, e0.leafHash()))).seq()).isEqualTo(2);
    }

    @Test
    void check_prevNotLeafHashOfPrevious_throws() throws Exception {
        ChainChecker c = ChainChecker.fromGenesis();
        LogEntry e0 = entry(0, T0, LogEntry.GENESIS_PREV);
        c.check(e0);
        byte[] wrong = e0.leafHash();
        wrong[0] ^= 1;
        assertThatThrownBy(() -> c.check(entry(1, T0, wrong)))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("prev mismatch")
                .hasMessageContaining(Base64.getEncoder().encodeToString(e0.leafHash()));
    }

    @Test
    void check_timeGoesBackwards_throws() throws Exception {
        ChainChecker c = ChainChecker.fromGenesis();
        LogEntry e0 = entry(0, T0, LogEntry.GENESIS_PREV);
        c.check(e0);
        assertThatThrownBy(() -> c.check(entry(1, T0.minusMillis(1), e0.leafHash())))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("2026-11-25T07:59:59.999Z");
    }

    @Test
    void check_failedEntry_doesNotAdvance() throws Exception {
        ChainChecker c = ChainChecker.fromGenesis();
        LogEntry e0 = entry(0, T0, LogEntry.GENESIS_PREV);
        c.check(e0);
        catchChain(c, entry(1, T0.minusSeconds(1), e0.leafHash()));
        c.check(entry(1, T0, e0.leafHash()));
    }

    @Test
    void after_storedLastEntry_continuesChain() throws Exception {
        LogEntry e0 = entry(0, T0, LogEntry.GENESIS_PREV);
        ChainChecker c = ChainChecker.after(e0);
        assertThat(c.expectedPrev()).isEqualTo(e0.leafHash());
        c.check(entry(1, T0, e0.leafHash()));
    }

    private static Exception catchChain(ChainChecker c, LogEntry e) {
        try {
            c.check(e);
        } catch (ChainException ex) {
            return ex;
        }
        throw new AssertionError("expected ChainException");
    }
}
