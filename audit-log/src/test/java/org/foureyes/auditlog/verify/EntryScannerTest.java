package org.foureyes.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.Rfc6962;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verifier's fast scanner must accept exactly the entries LogEntry.parse accepts. */
class EntryScannerTest {

    static final String PREV = Base64.getEncoder().encodeToString(Rfc6962.leafHash(new byte[] {6}));
    static final String HEAD = "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"" + PREV
            + "\",\"type\":\"change.expired\",\"facts\":";

    static boolean fastAccepts(byte[] b) {
        EntryScanner s = new EntryScanner();
        return s.scan(b, 0, b.length) && EntryScanner.isCanonicalHash(b, s.prevOff());
    }

    static boolean parseAccepts(byte[] b) {
        try {
            LogEntry.parse(b);
            return true;
        } catch (EntryFormatException e) {
            return false;
        }
    }

    static void assertAgree(byte[] b) {
        boolean parse = parseAccepts(b);
        assertThat(fastAccepts(b)).as("scanner vs LogEntry.parse (%s) on %s", parse,
                new String(b, StandardCharsets.UTF_8)).isEqualTo(parse);
    }

    static byte[] withFacts(String facts) {
        return (HEAD + facts + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void scan_generatedEntries_acceptedLikeParse() {
        TestLog log = TestLog.generate(300, 5);
        for (byte[] e : log.entries()) {
            assertThat(fastAccepts(e)).isTrue();
            assertThat(parseAccepts(e)).isTrue();
        }
    }

    @Test
    void scan_randomMutations_agreesWithParse() {
        TestLog log = TestLog.generate(200, 11);
        List<byte[]> entries = log.entries();
        byte[] interesting = "\"\\{}[],:0123456789eE.+-untrfalsbTZ /=".getBytes(StandardCharsets.US_ASCII);
        Random rnd = new Random(123);
        int accepted = 0;
        for (int round = 0; round < 8_000; round++) {
            byte[] e = entries.get(rnd.nextInt(entries.size()));
            int pos = rnd.nextInt(e.length);
            byte b;
            switch (rnd.nextInt(3)) {
                case 0:
                    b = (byte) rnd.nextInt(256);
                    break;
                case 1:
                    b = interesting[rnd.nextInt(interesting.length)];
                    break;
                default:
                    b = (byte) (0x80 + rnd.nextInt(0x80));
            }
            byte[] m;
            switch (rnd.nextInt(3)) {
                case 0:
                    m = e.clone();
                    m[pos] = b;
                    break;
                case 1: // insert
                    m = new byte[e.length + 1];
                    System.arraycopy(e, 0, m, 0, pos);
                    m[pos] = b;
                    System.arraycopy(e, pos, m, pos + 1, e.length - pos);
                    break;
                default: // delete
                    m = new byte[e.length - 1];
                    System.arraycopy(e, 0, m, 0, pos);
                    System.arraycopy(e, pos + 1, m, pos, e.length - pos - 1);
            }
            assertAgree(m);
            if (parseAccepts(m)) {
                accepted++;
            }
        }
        // Some mutations must stay valid (e.g. a changed hex digit), or the test proves little.
        assertThat(accepted).isGreaterThan(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "{\"a\":1}", "{\"a\":-1}", "{\"a\":0}", "{\"a\":-0}", "{\"a\":01}", "{\"a\":1.5}", "{\"a\":1.0}",
        "{\"a\":1.50}", "{\"a\":1e5}", "{\"a\":1E5}", "{\"a\":1.0E10}", "{\"a\":1.0e10}", "{\"a\":100.0}",
        "{\"a\":0.1}", "{\"a\":-0.0}", "{\"a\":1e999}", "{\"a\":1.0E-5}", "{\"a\":1.}", "{\"a\":.5}",
        "{\"a\":99999999999999999999999}", "{\"a\":-9223372036854775808}", "{\"a\":1.7976931348623157E308}",
        "{\"a\":4.9E-324}", "{\"a\":1E-400}", "{\"a\":+1}",
        "{\"a\":true}", "{\"a\":tru}", "{\"a\":null}", "{\"a\":nul}", "{\"a\":false}", "{\"a\":[]}", "{\"a\":[1,]}",
        "{\"a\":[1,2]}", "{\"a\":{}}", "{\"a\":1,}", "{,}", "{\"a\" :1}", "{\"a\": 1}", "{ \"a\":1}",
        "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1},\"b\":{\"b\":2}}", "{\"a\":{\"b\":1,\"b\":1}}", "{\"a\":1,\"b\":{\"a\":1}}",
        "{\"a\":\"\\/\"}", "{\"a\":\"/\"}", "{\"a\":\"\\u0041\"}", "{\"a\":\"\\u001f\"}", "{\"a\":\"\\u001F\"}",
        "{\"a\":\"\\u000a\"}", "{\"a\":\"\\u000A\"}", "{\"a\":\"\\n\"}", "{\"a\":\"\\t\\b\\f\\r\\\"\\\\\"}",
        "{\"a\":\"\\u0000\"}", "{\"a\":\"\\u007F\"}", "{\"a\":\"\u007f\"}", "{\"a\":\"\\ud83d\\udd12\"}",
        "{\"a\":\"\u2028\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u00\"}", "{\"\":1}", "{\"a\\\"b\":1}",
        "{\"a\":\"\ud83d\udd12\"}", "{\"a\":\"r\u00e9sum\u00e9\"}", "{\"a\":[{\"b\":[null,true,\"x\",-2]}]}",
    })
    void scan_handWrittenFacts_agreesWithParse(String facts) {
        assertAgree(withFacts(facts));
    }

    @Test
    void scan_invalidUtf8InStrings_agreesWithParse() {
        int[][] seqs = {{0xC0, 0x80}, {0xC1, 0xBF}, {0xC2, 0x80}, {0xE0, 0x80, 0x80}, {0xE0, 0xA0, 0x80},
            {0xED, 0xA0, 0x80}, {0xED, 0x9F, 0xBF}, {0xEF, 0xBF, 0xBF}, {0xF0, 0x8F, 0xBF, 0xBF},
            {0xF0, 0x90, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80},
            {0x80}, {0xBF}, {0xFE}, {0xFF}, {0xE2, 0x82}, {0xC3}};
        for (int[] s : seqs) {
            byte[] pre = withFacts("{\"a\":\"x").clone();
            pre = Arrays.copyOf(pre, pre.length - 1); // drop the closing brace
            byte[] m = new byte[pre.length + s.length + 3];
            System.arraycopy(pre, 0, m, 0, pre.length);
            for (int i = 0; i < s.length; i++) {
                m[pre.length + i] = (byte) s[i];
            }
            m[pre.length + s.length] = '"';
            m[pre.length + s.length + 1] = '}';
            m[pre.length + s.length + 2] = '}';
            assertAgree(m);
        }
    }

    @Test
    void scan_nestingAroundTheLimit_agreesWithParse() {
        for (int depth : new int[] {998, 999, 1000, 1001}) {
            // The entry is level 1, facts level 2, then arrays.
            int arrays = depth - 2;
            String facts = "{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";
            assertAgree(withFacts(facts));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T08:00:00.123Z", "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
        "2024-02-29T00:00:00.000Z", "2023-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z",
        "2000-02-29T00:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
        "2026-00-01T00:00:00.000Z", "2026-01-00T00:00:00.000Z", "2026-01-01T24:00:00.000Z",
        "2026-01-01T23:60:00.000Z", "2026-01-01T23:59:60.000Z", "2026-01-01t00:00:00.000Z",
        "2026-01-01T00:00:00.000z", "2026-01-01T00:00:00,000Z", "+026-01-01T00:00:00.000Z"})
    void scan_times_agreesWithParse(String time) {
        assertAgree(("{\"seq\":7,\"time\":\"" + time + "\",\"prev\":\"" + PREV
                + "\",\"type\":\"change.expired\",\"facts\":{}}").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "7", "07", "-1", "-0", "9223372036854775807", "9223372036854775808", "1.0", "1e2",
        "\"7\"", "null"})
    void scan_seqValues_agreesWithParse(String seq) {
        assertAgree(("{\"seq\":" + seq + ",\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"" + PREV
                + "\",\"type\":\"change.expired\",\"facts\":{}}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void scan_prevAndTypeAndStatementVariants_agreeWithParse() {
        List<String> lines = new ArrayList<>();
        String tail = ",\"type\":\"change.expired\",\"facts\":{}}";
        String start = "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"";
        lines.add(start + PREV + "\"" + tail);
        lines.add(start + PREV.substring(0, 42) + "B=\"" + tail); // non-canonical trailing bits (maybe)
        lines.add(start + PREV.substring(0, 43) + "\"" + tail);
        lines.add(start + PREV.substring(0, 43) + "A\"" + tail);
        lines.add(start + PREV.replace('A', '-') + "\"" + tail);
        lines.add(start + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"" + tail);
        lines.add(start + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"" + tail);
        String p = start + PREV + "\",\"type\":\"";
        lines.add(p + "change.decided\",\"statement\":\"a.b.c\",\"facts\":{}}");
        lines.add(p + "change.decided\",\"statement\":\"\",\"facts\":{}}");
        lines.add(p + "change.decided\",\"facts\":{}}");
        lines.add(p + "change.expired\",\"statement\":\"a.b.c\",\"facts\":{}}");
        lines.add(p + "change.decided\",\"statement\":7,\"facts\":{}}");
        lines.add(p + "log.genesis\",\"facts\":{}}");
        lines.add(p + "log.genesiz\",\"facts\":{}}");
        lines.add(p + "Log.genesis\",\"facts\":{}}");
        lines.add(p + "change.expired\",\"facts\":[]}");
        lines.add(p + "change.expired\",\"facts\":{}} ");
        lines.add(p + "change.expired\",\"facts\":{},\"x\":1}");
        lines.add(p + "change.expired\",\"facts\":{}");
        lines.add(p + "change.expired\",\"facts\":{}}\r");
        lines.add(p + "change.expired\",\"facts\":{\"a\":\"x\ny\"}}");
        for (String l : lines) {
            assertAgree(l.getBytes(StandardCharsets.UTF_8));
        }
        for (int c = 0; c < 64; c++) {
            String last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".substring(c, c + 1);
            assertAgree((start + PREV.substring(0, 42) + last + "=\"" + tail).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void encodeHash_matchesJdkBase64() {
        Random rnd = new Random(1);
        byte[] out = new byte[44];
        for (int i = 0; i < 1000; i++) {
            byte[] h = new byte[32];
            rnd.nextBytes(h);
            EntryScanner.encodeHash(h, out);
            assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(Base64.getEncoder().encodeToString(h));
        }
    }
}
