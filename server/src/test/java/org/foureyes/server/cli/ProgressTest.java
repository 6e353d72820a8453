package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void at_notATerminalAndNotAsked_printsNothing() {
        Progress p = new Progress(err, false, false, "exported", 100, clock::get);
        p.at(50);
        p.at(100);
        p.done();
        assertThat(printed()).isEmpty();
    }

    @Test
    void at_askedWithoutTerminal_printsWholeLinesAtMostEveryFiveSecondsAndTheLast() {
        Progress p = new Progress(err, false, true, "exported", 1000, clock::get);
        p.at(10);
        clock.addAndGet(1_000_000_000L);
        p.at(20); // too soon
        clock.addAndGet(5_000_000_000L);
        p.at(500);
        p.at(1000); // the last is always shown
        assertThat(printed()).isEqualTo("exported 10 of 1000 entries (1%)\nexported 500 of 1000 entries (50%)\n"
                + "exported 1000 of 1000 entries (100%)\n");
    }

    @Test
    void at_onATerminal_rewritesOneLineAndEndsIt() {
        Progress p = new Progress(err, true, false, "exported", 4, clock::get);
        p.at(2);
        clock.addAndGet(300_000_000L);
        p.at(4);
        p.done();
        assertThat(printed()).isEqualTo("\rexported 2 of 4 entries (50%)\rexported 4 of 4 entries (100%)\n");
    }
}
