package org.foureyes.auditlog.tiles;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry bundle encoding of C2SP tlog-tiles: each entry as a big-endian uint16 length followed
 * by its bytes. An entry therefore holds at most {@value #MAX_ENTRY_BYTES} bytes.
 */
public final class EntryBundle {
    /** The longest entry a bundle can carry: the largest uint16. */
    public static final int MAX_ENTRY_BYTES = 0xffff;

    private EntryBundle() {
    }

    /** The bundle of {@code entries}, in order. */
    public static byte[] encode(List<byte[]> entries) {
        int total = 0;
        for (byte[] e : entries) {
            if (e.length > MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException("an entry of " + e.length + " bytes does not fit a tlog-tiles entry"
                        + " bundle (at most " + MAX_ENTRY_BYTES + " bytes)");
            }
            total += 2 + e.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(total);
        for (byte[] e : entries) {
            out.write(e.length >>> 8);
            out.write(e.length & 0xff);
            out.write(e, 0, e.length);
        }
        return out.toByteArray();
    }

    /**
     * The entries of a bundle that must hold exactly {@code expected} of them.
     *
     * @throws IllegalArgumentException naming what is wrong: a length running past the end, or
     *     fewer or more entries than expected
     */
    public static List<byte[]> decode(byte[] bundle, int expected) {
        List<byte[]> out = new ArrayList<>(expected);
        int p = 0;
        while (p < bundle.length) {
            if (p + 2 > bundle.length) {
                throw new IllegalArgumentException("the bundle ends inside the length of entry " + out.size());
            }
            int len = ((bundle[p] & 0xff) << 8) | (bundle[p + 1] & 0xff);
            p += 2;
            if (p + len > bundle.length) {
                throw new IllegalArgumentException("entry " + out.size() + " of the bundle claims " + len
                        + " bytes but only " + (bundle.length - p) + " remain");
            }
            if (out.size() == expected) {
                throw new IllegalArgumentException("the bundle holds more than the " + expected + " entries expected");
            }
            byte[] e = new byte[len];
            System.arraycopy(bundle, p, e, 0, len);
            out.add(e);
            p += len;
        }
        if (out.size() != expected) {
            throw new IllegalArgumentException("the bundle holds " + out.size() + " entries, " + expected + " expected");
        }
        return out;
    }
}
