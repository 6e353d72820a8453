package org.foureyes.auditlog.verify;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into {@code \n}-terminated lines without copying them: the stream is read in
 * large blocks into one reused buffer, and each line is handed out as a range of that buffer,
 * valid until the next call. A line that does not fit moves to the front of the buffer (and the
 * buffer grows, up to the line limit). Memory is bounded by the longest line, never by the file.
 */
final class LineReader {

    private final InputStream in;
    private final int maxLine;
    private byte[] buf;
    private int pos;   // start of the unconsumed data
    private int limit; // end of the valid data
    private boolean eof;
    private long consumed; // stream offset of buf[0]

    // The current line.
    private int lineOff;
    private int lineLen;
    private boolean terminated;
    private boolean tooLong;
    private long lineStart;

    LineReader(InputStream in, int blockSize, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
        this.buf = new byte[blockSize];
    }

    /**
     * Advances to the next line. False at the end of the stream. A final line without {@code \n}
     * is returned with {@link #terminated()} false; a line longer than the limit is returned
     * truncated to the limit with {@link #tooLong()} true (and reading should stop).
     */
    boolean next() throws IOException {
        if (tooLong) {
            return false;
        }
        int search = pos;
        while (true) {
            int nl = indexOfNewline(buf, search, limit);
            if (nl >= 0) {
                setLine(pos, nl - pos, true);
                pos = nl + 1;
                return true;
            }
            search = limit;
            if (limit - pos > maxLine) {
                setLine(pos, maxLine, false);
                tooLong = true;
                pos = limit;
                return true;
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit - pos, false);
                    pos = limit;
                    return true;
                }
                return false;
            }
            if (pos > 0 && (limit == buf.length || pos == limit)) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                consumed += pos;
                search -= pos;
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, (long) maxLine + 2)];
                System.arraycopy(buf, 0, bigger, 0, limit);
                buf = bigger;
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
    }

    private void setLine(int off, int len, boolean term) {
        lineOff = off;
        lineLen = len;
        terminated = term;
        lineStart = consumed + off;
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The buffer holding the current line (valid until the next call to {@link #next}). */
    byte[] buffer() {
        return buf;
    }

    int offset() {
        return lineOff;
    }

    int length() {
        return lineLen;
    }

    boolean terminated() {
        return terminated;
    }

    boolean tooLong() {
        return tooLong;
    }

    /** Byte offset of the current line in the stream. */
    long lineStart() {
        return lineStart;
    }

    /** Bytes handed out so far, including newlines. */
    long position() {
        return consumed + pos;
    }
}
