package org.foureyes.server.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * "N of M entries" while a long read runs, on standard error so that standard output stays the
 * result. On a terminal the line is rewritten in place (at most 5 times a second); otherwise (with
 * {@code --progress}) a whole line at most every 5 seconds, for logs. Off: prints nothing.
 */
final class Progress {
    private final PrintStream err;
    private final boolean terminal;
    private final boolean on;
    private final String what;
    private final long total;
    private final LongSupplier nanos;
    private long last = Long.MIN_VALUE;
    private boolean printed;

    Progress(PrintStream err, boolean terminal, boolean asked, String what, long total, LongSupplier nanos) {
        this.err = err;
        this.terminal = terminal;
        this.on = terminal || asked;
        this.what = what;
        this.total = total;
        this.nanos = nanos;
    }

    /** {@code done} of the total are through; prints if it is time to. */
    void at(long done) {
        if (!on) {
            return;
        }
        long now = nanos.getAsLong();
        long every = terminal ? 200_000_000L : 5_000_000_000L;
        if (last != Long.MIN_VALUE && now - last < every && done < total) {
            return;
        }
        last = now;
        String line = what + " " + done + " of " + total + " entries"
                + (total > 0 ? " (" + (done * 100 / total) + "%)" : "");
        if (terminal) {
            err.print("\r" + line);
        } else {
            err.println(line);
        }
        printed = true;
        err.flush();
    }

    /** Ends the in-place line on a terminal. */
    void done() {
        if (on && terminal && printed) {
            err.println();
        }
    }
}
