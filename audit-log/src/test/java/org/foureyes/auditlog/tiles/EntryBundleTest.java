package org.foureyes.auditlog.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryBundleTest {

    @Test
    void encode_twoEntries_bigEndianUint16LengthPrefixes() {
        byte[] b = EntryBundle.encode(List.of("a".getBytes(StandardCharsets.US_ASCII), new byte[300]));
        assertEquals("000161012c", HexFormat.of().formatHex(b, 0, 5));
        assertEquals(2 + 1 + 2 + 300, b.length);
    }

    @Test
    void encode_entryOf65535Bytes_fitsAndRoundTrips() {
        byte[] e = new byte[65_535];
        e[65_534] = 7;
        byte[] b = EntryBundle.encode(List.of(e));
        assertEquals((byte) 0xff, b[0]);
        assertEquals((byte) 0xff, b[1]);
        assertArrayEquals(e, EntryBundle.decode(b, 1).get(0));
    }

    @Test
    void encode_entryOf65536Bytes_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.encode(List.of(new byte[65_536])));
    }

    @Test
    void decode_missingEntry_isRefused() {
        byte[] b = EntryBundle.encode(List.of(new byte[] {1}, new byte[] {2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryBundle.decode(b, 3));
        assertTrue(e.getMessage().contains("holds 2 entries, 3 expected"), e.getMessage());
    }

    @Test
    void decode_truncatedOrExtraEntry_isRefused() {
        byte[] b = EntryBundle.encode(List.of(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.decode(java.util.Arrays.copyOf(b, 4), 1));
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.decode(java.util.Arrays.copyOf(b, 6), 1));
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.decode(b, 0));
        assertEquals(0, EntryBundle.decode(new byte[0], 0).size());
    }
}
