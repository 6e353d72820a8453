package org.foureyes.auditlog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogEntryTest {

    static final Instant T = Instant.parse("2026-11-25T08:00:00.123Z");
    static final String PREV7 = Base64.getEncoder().encodeToString(Rfc6962.leafHash(new byte[] {6}));
    static final String GOOD = "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"" + PREV7
            + "\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\","
            + "\"facts\":{\"change\":5,\"state\":\"approved\"}}";

    static ObjectNode facts() {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("change", 5);
        f.put("state", "approved");
        return f;
    }

    static LogEntry decided() {
        return LogEntry.create(7, T, Base64.getDecoder().decode(PREV7), "change.decided",
                "aGVhZA.cGF5bG9hZA.c2ln", facts());
    }

    @Test
    void create_designExample_writesExactBytes() {
        assertThat(new String(decided().bytes(), UTF_8)).isEqualTo(GOOD);
    }

    @Test
    void parse_createdBytes_roundTripsAllFields() throws Exception {
        LogEntry e = LogEntry.parse(GOOD.getBytes(UTF_8));
        assertThat(e.seq()).isEqualTo(7);
        assertThat(e.time()).isEqualTo(T);
        assertThat(Base64.getEncoder().encodeToString(e.prev())).isEqualTo(PREV7);
        assertThat(e.type()).isEqualTo("change.decided");
        assertThat(e.entryType()).isEqualTo(EntryType.CHANGE_DECIDED);
        assertThat(e.statement()).contains("aGVhZA.cGF5bG9hZA.c2ln");
        assertThat(e.facts()).isEqualTo(facts());
        assertThat(e).isEqualTo(decided());
        assertThat(e.leafHash()).isEqualTo(Rfc6962.leafHash(GOOD.getBytes(UTF_8)));
    }

    @Test
    void create_withoutStatement_omitsMember() throws Exception {
        ObjectNode f = JsonNodeFactory.instance.objectNode().put("origin", "example.org/log").put("ü", "✓ 𝄞");
        LogEntry e = LogEntry.create(0, Instant.parse("2026-01-01T00:00:00Z"), LogEntry.GENESIS_PREV,
                "log.genesis", null, f);
        String s = new String(e.bytes(), UTF_8);
        assertThat(s).isEqualTo("{\"seq\":0,\"time\":\"2026-01-01T00:00:00.000Z\",\"prev\":"
                + "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"type\":\"log.genesis\","
                + "\"facts\":{\"origin\":\"example.org/log\",\"ü\":\"✓ 𝄞\"}}");
        assertThat(LogEntry.parse(e.bytes())).isEqualTo(e);
        assertThat(e.statement()).isEmpty();
    }

    @Test
    void create_subMillisecondTime_truncatesToMillis() {
        LogEntry e = LogEntry.create(0, Instant.parse("2026-01-01T00:00:00.123999Z"), LogEntry.GENESIS_PREV,
                "log.genesis", null, JsonNodeFactory.instance.objectNode());
        assertThat(e.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
    }

    @Test
    void create_factsWithNewline_escapesIt() {
        ObjectNode f = JsonNodeFactory.instance.objectNode().put("reason", "two\nlines");
        LogEntry e = LogEntry.create(0, T, LogEntry.GENESIS_PREV, "log.genesis", null, f);
        assertThat(e.bytes()).doesNotContain((byte) '\n');
    }

    @Test
    void create_mutatingInputsAndOutputs_doesNotChangeEntry() {
        ObjectNode f = facts();
        byte[] prev = new byte[32];
        LogEntry e = LogEntry.create(7, T, prev, EntryType.CHANGE_DECIDED, "a.b.c", f);
        byte[] before = e.bytes();
        f.put("state", "rejected");
        prev[0] = 1;
        e.facts().put("x", 1);
        e.bytes()[0] = 'x';
        e.prev()[0] = 1;
        e.leafHash()[0] = 1;
        assertThat(e.bytes()).isEqualTo(before);
        assertThat(e.prev()).isEqualTo(new byte[32]);
        assertThat(e.leafHash()).isEqualTo(Rfc6962.leafHash(before));
    }

    @Test
    void create_invalidArguments_throwIllegalArgument() {
        ObjectNode f = facts();
        assertThatThrownBy(() -> LogEntry.create(-1, T, new byte[32], "log.genesis", null, f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogEntry.create(1, T, new byte[31], "log.genesis", null, f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogEntry.create(1, T, new byte[32], "change.renamed", null, f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogEntry.create(1, T, new byte[32], "change.decided", null, f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a statement");
        assertThatThrownBy(() -> LogEntry.create(1, T, new byte[32], "log.genesis", "a.b.c", f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carries no statement");
        assertThatThrownBy(() -> LogEntry.create(1, Instant.parse("+10000-01-01T00:00:00Z"), new byte[32],
                "log.genesis", null, f)).isInstanceOf(IllegalArgumentException.class);
        ObjectNode lone = JsonNodeFactory.instance.objectNode().put("s", "\ud800");
        assertThatThrownBy(() -> LogEntry.create(1, T, new byte[32], "log.genesis", null, lone))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // reordered members
        "{\"time\":\"2026-11-25T08:00:00.123Z\",\"seq\":7,\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"facts\":{\"change\":5,\"state\":\"approved\"},\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\"}",
        // duplicate member, at top level and inside facts
        "{\"seq\":7,\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\",\"state\":\"rejected\"}}",
        // extra whitespace
        "{\"seq\": 7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        " {\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5, \"state\":\"approved\"}}",
        // trailing newline, CRLF, trailing garbage
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}\n",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}\r\n",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}{}",
        // bad time formats
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.1230Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123+00:00\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-02-30T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25 08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        // unknown or missing members, unknown type, statement vs type
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"},\"extra\":1}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\"}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.renamed\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.expired\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":null,\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        // number and string forms that re-encode differently
        "{\"seq\":7.0,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":\"7\",\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":-7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5e0,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"appro\\u0076ed\"}}",
        // lone surrogate, escaped non-ASCII, escaped supplementary character
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"a\\ud800\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"\\u00fc\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"\\uD834\\uDD1E\"}}",
        // prev: unpadded, non-canonical trailing bits, wrong length, not base64
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"Q\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"R\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"AAAA\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"!!!!\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":{\"change\":5,\"state\":\"approved\"}}",
        // facts not an object, not an object at all
        "{\"seq\":7,\"time\":\"2026-11-25T08:00:00.123Z\",\"prev\":\"P\",\"type\":\"change.decided\",\"statement\":\"aGVhZA.cGF5bG9hZA.c2ln\",\"facts\":[]}",
        "[]",
        "",
    })
    void parse_nonCanonical_throwsEntryFormatException(String text) {
        String s = text.replace("\"P\"", "\"" + PREV7 + "\"").replace("\"Q\"", "\"" + PREV7.replace("=", "") + "\"")
                .replace("\"R\"", "\"" + nonCanonicalBits(PREV7) + "\"");
        assertThatThrownBy(() -> LogEntry.parse(s.getBytes(UTF_8))).isInstanceOf(EntryFormatException.class);
    }

    /** Same 32 bytes, but the unused low bits of the last base64 digit set: decoders ignore them. */
    static String nonCanonicalBits(String b64) {
        char last = b64.charAt(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char other = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String s = b64.substring(0, 42) + other + "=";
        assertThat(Base64.getDecoder().decode(s)).isEqualTo(Base64.getDecoder().decode(b64));
        return s;
    }

    @Test
    void parse_invalidUtf8_throwsEntryFormatException() {
        byte[] good = GOOD.getBytes(UTF_8);
        int at = GOOD.indexOf("approved");
        byte[] bad = Arrays.copyOf(good, good.length);
        bad[at] = (byte) 0xC0; // overlong encoding lead byte
        bad[at + 1] = (byte) 0xE1;
        assertThatThrownBy(() -> LogEntry.parse(bad)).isInstanceOf(EntryFormatException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void parse_utf16_throwsEntryFormatException() {
        byte[] utf16 = GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> LogEntry.parse(utf16)).isInstanceOf(EntryFormatException.class);
    }

    @Test
    void parse_goodBytes_acceptedWhileNearMissesAreNot() throws Exception {
        // Guards the negative cases above: they differ from an accepted entry only in one defect.
        LogEntry.parse(GOOD.getBytes(UTF_8));
    }
}
