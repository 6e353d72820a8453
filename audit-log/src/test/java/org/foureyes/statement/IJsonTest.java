package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.foureyes.statement.IJsonException.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IJsonTest {

    private static IJsonException refusal(String text) {
        IJsonException e = catchThrowableOfType(IJsonException.class, () -> IJson.parse(text));
        assertThat(e).as("refused: %s", text).isNotNull();
        return e;
    }

    private static IJsonException refusal(byte[] bytes) {
        IJsonException e = catchThrowableOfType(IJsonException.class, () -> IJson.parse(bytes));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] concat(String a, byte[] mid, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] z = b.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[x.length + mid.length + z.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(mid, 0, out, x.length, mid.length);
        System.arraycopy(z, 0, out, x.length + mid.length, z.length);
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"contact\":\"\\ud800@example.org\"}|/contact",
        "{\"contact\":\"\\udc00\"}|/contact",
        "{\"a\":[\"x\",\"\\udc00\\ud800\"]}|/a/1",
        "{\"a\":{\"\\ud800\":1}}|/a/\ud800",
        "{\"a\":\"\\ud83d\"}|/a"})
    void parse_loneSurrogateEscaped_refusedWithPointer(String text, String pointer) {
        IJsonException e = refusal(text);

        assertThat(e.violation()).isEqualTo(Violation.LONE_SURROGATE);
        assertThat(e.pointer()).isEqualTo(pointer);
        assertThat(e.getMessage()).contains("lone surrogate");
    }

    @Test
    void parse_surrogatePair_accepted() throws Exception {
        JsonNode n = IJson.parse("{\"a\":\"\\ud83d\\ude00 and \uD83D\uDE00\"}");

        assertThat(n.get("a").textValue()).isEqualTo("\uD83D\uDE00 and \uD83D\uDE00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\uffff\"}", "{\"a\":\"\\ufdd0\"}", "{\"a\":\"\\ud83f\\udffe\"}", "{\"\\ufffe\":1}"})
    void parse_noncharacter_refused(String text) {
        assertThat(refusal(text).violation()).isEqualTo(Violation.NONCHARACTER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1e-400", "9007199254740992", "-9007199254740992",
        "12345678901234567890", "1e99999"})
    void parse_numberBeyondDouble_refused(String number) {
        IJsonException e = refusal("{\"n\":[" + number + "]}");

        assertThat(e.violation()).isEqualTo(Violation.NUMBER_OUT_OF_RANGE);
        assertThat(e.pointer()).isEqualTo("/n/0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740991", "-9007199254740991", "1e30", "1.7976931348623157e308", "4.9e-324",
        "-0", "-0.0", "0e-400", "1.0", "0.1"})
    void parse_numberADoubleHolds_accepted(String number) {
        assertThatCode(() -> IJson.parse("{\"n\":" + number + "}")).doesNotThrowAnyException();
    }

    @Test
    void parse_duplicateMemberAtDepth_refusedNamingIt() {
        IJsonException e = refusal("{\"a\":{\"b\":1,\"b\":2}}");

        assertThat(e.violation()).isEqualTo(Violation.DUPLICATE_MEMBER);
        assertThat(e.member()).isEqualTo("b");
    }

    @Test
    void parse_nestingAtLimit_acceptedOneDeeperRefused() {
        String ok = "[".repeat(IJson.MAX_DEPTH) + "]".repeat(IJson.MAX_DEPTH);
        String deep = "[".repeat(IJson.MAX_DEPTH + 1) + "]".repeat(IJson.MAX_DEPTH + 1);

        assertThatCode(() -> IJson.parse(ok)).doesNotThrowAnyException();
        assertThat(refusal(deep).violation()).isEqualTo(Violation.TOO_DEEP);
    }

    @Test
    void parse_hugeNesting_refusedWithoutStackOverflow() {
        assertThat(refusal("[".repeat(500_000)).violation()).isEqualTo(Violation.TOO_DEEP);
    }

    @Test
    void parse_documentOverSizeLimit_refusedAsTooLarge() {
        String big = "{\"a\":\"" + "x".repeat(IJson.MAX_CHARS) + "\"}";

        assertThat(refusal(big).violation()).isEqualTo(Violation.TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}{}", "{}]", "{} \u0000", "", " ", "{\"a\":1,}", "{'a':1}", "{\"a\":\"\u0000\"}",
        "{\"a\":NaN}", "{\"a\":01}", "{\"a\":1}\n//c"})
    void parse_notOneJsonValue_refusedAsSyntax(String text) {
        assertThat(refusal(text).violation()).isEqualTo(Violation.SYNTAX);
    }

    @Test
    void parse_trailingWhiteSpace_accepted() {
        assertThatCode(() -> IJson.parse("{\"a\":1} \n")).doesNotThrowAnyException();
    }

    @Test
    void parse_byteOrderMark_refused() {
        assertThat(refusal(concat("", bytes(0xEF, 0xBB, 0xBF), "{}")).violation()).isEqualTo(Violation.BYTE_ORDER_MARK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0af", "e080af", "f08080af", "eda080", "edb080", "c3", "f4908080"})
    void parse_invalidUtf8InString_refusedAsNotUtf8(String hex) {
        byte[] mid = java.util.HexFormat.of().parseHex(hex);

        assertThat(refusal(concat("{\"a\":\"", mid, "\"}")).violation()).isEqualTo(Violation.NOT_UTF8);
    }

    @Test
    void parse_utf16Bytes_readAsUtf8NotGuessed() {
        // UTF-16LE of ASCII is valid UTF-8 with NUL bytes, which JSON refuses outside strings
        assertThat(refusal("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE)).violation()).isEqualTo(Violation.SYNTAX);
    }

    @Test
    void check_treeWithLoneSurrogateNameOrHugeInteger_refused() {
        ObjectNode name = JsonNodeFactory.instance.objectNode();
        name.putObject("x").put("\udc01", 1);
        ObjectNode big = JsonNodeFactory.instance.objectNode();
        big.put("n", new BigInteger("9007199254740993"));
        ObjectNode inf = JsonNodeFactory.instance.objectNode();
        inf.put("n", Double.POSITIVE_INFINITY);

        assertThat(catchThrowableOfType(IJsonException.class, () -> IJson.check(name)).pointer()).isEqualTo("/x/\udc01");
        assertThat(catchThrowableOfType(IJsonException.class, () -> IJson.check(big)).violation())
                .isEqualTo(Violation.NUMBER_OUT_OF_RANGE);
        assertThat(catchThrowableOfType(IJsonException.class, () -> IJson.check(inf)).violation())
                .isEqualTo(Violation.NUMBER_OUT_OF_RANGE);
    }

    @Test
    void check_treeTooDeep_refused() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode n = root;
        for (int i = 0; i < IJson.MAX_DEPTH; i++) {
            n = n.putObject("a");
        }

        assertThat(catchThrowableOfType(IJsonException.class, () -> IJson.check(root)).violation())
                .isEqualTo(Violation.TOO_DEEP);
    }

    @Test
    void parse_pointerEscapesSlashAndTilde() {
        assertThat(refusal("{\"a/b\":{\"c~d\":\"\\ud800\"}}").pointer()).isEqualTo("/a~1b/c~0d");
    }
}
