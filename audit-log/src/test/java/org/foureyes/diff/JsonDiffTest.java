package org.foureyes.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode j(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void diff_equalDocumentsWithDifferentNumberSpelling_isEmpty() throws Exception {
        assertThat(JsonDiff.diff(j("{\"a\":1,\"b\":[1.0,\"x\"]}"), j("{\"b\":[1,\"x\"],\"a\":1.00}"))).isEmpty();
        assertThat(JsonDiff.text(j("{}"), j("{}"))).isEqualTo("(no differences)\n");
    }

    @Test
    void diff_nestedMembers_reportsAddedRemovedChangedWithPaths() throws Exception {
        List<JsonDiff.Change> d = JsonDiff.diff(
                j("{\"capture\":{\"enabled\":true,\"filter\":\"f\"},\"old\":1}"),
                j("{\"capture\":{\"enabled\":false,\"filter\":\"f\",\"iface\":\"m0\"}}"));
        assertThat(d).extracting(Object::toString).containsExactly(
                "~ capture.enabled: true -> false",
                "+ capture.iface: \"m0\"",
                "- old: 1");
    }

    @Test
    void diff_arrays_comparesElementByElement() throws Exception {
        assertThat(JsonDiff.diff(j("{\"p\":[\"a\",\"b\"]}"), j("{\"p\":[\"a\",\"c\",\"d\"]}")))
                .extracting(Object::toString).containsExactly("~ p[1]: \"b\" -> \"c\"", "+ p[2]: \"d\"");
    }

    @Test
    void diff_noBefore_isOneAdditionOfTheWholeDocument() throws Exception {
        List<JsonDiff.Change> d = JsonDiff.diff(null, j("{\"a\":1}"));
        assertThat(d).hasSize(1);
        assertThat(d.get(0).toString()).isEqualTo("+ (document): {\"a\":1}");
    }

    @Test
    void diff_memberNameWithDot_isQuoted() throws Exception {
        assertThat(JsonDiff.diff(j("{\"a.b\":1}"), j("{\"a.b\":2}"))).extracting(JsonDiff.Change::path)
                .containsExactly("[\"a.b\"]");
    }

    @Test
    void toJson_listsOpsAndValues() throws Exception {
        JsonNode n = JsonDiff.toJson(JsonDiff.diff(j("{\"a\":1}"), j("{\"a\":2}")));
        assertThat(n.toString()).isEqualTo("[{\"op\":\"changed\",\"path\":\"a\",\"before\":1,\"after\":2}]");
    }

    @Test
    void text_longValue_isShownWholeNotCutOff() throws Exception {
        String tail = "reject *:*";
        String longList = "[" + "\"accept *:80\",".repeat(40) + "\"" + tail + "\"]";
        String text = JsonDiff.text(null, j("{\"exit_policy\":" + longList + "}"));

        assertThat(text).contains(tail).doesNotContain("...");
    }

    @Test
    void text_controlCharacterInValue_isEscapedNotWritten() throws Exception {
        String text = JsonDiff.text(j("{\"c\":\"a\"}"), j("{\"c\":\"\\u001b[2Jx\"}"));

        assertThat(text).doesNotContain("\u001b").contains("\\u001B");
    }
}
