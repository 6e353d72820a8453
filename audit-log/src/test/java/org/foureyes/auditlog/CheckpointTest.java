package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
    static final String ROOT8 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
    static final String BODY8 = "example.org/log\n8\n" + ROOT8 + "\n";
    static final String NOTE8 = "example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n"
            + "\u2014 PeterNeumann x08go5RzX475H/ZW/dxpoQAzFwu6PeuDQEi6TwuYYD2FsASDKtGNUq9/U5wzmaNEo82yvIMtAbeKKbbWQc2l9q9rRQE=\n";

    @Test
    void parse_eightLeafTreeBody_exposesFieldsAndFormatsIdentically() throws Exception {
        Checkpoint cp = Checkpoint.parse(BODY8);
        assertThat(cp.origin()).isEqualTo("example.org/log");
        assertThat(cp.size()).isEqualTo(8);
        assertThat(HexFormat.of().formatHex(cp.rootHash()))
                .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        assertThat(cp.extensions()).isEmpty();
        assertThat(cp.body()).isEqualTo(BODY8);
        assertThat(cp).isEqualTo(Checkpoint.of("example.org/log", 8, cp.rootHash()));
    }

    @Test
    void parse_withExtensionLines_roundTrips() throws Exception {
        String body = BODY8 + "ext one\n\u2014two\n";
        Checkpoint cp = Checkpoint.parse(body);
        assertThat(cp.extensions()).containsExactly("ext one", "\u2014two");
        assertThat(cp.body()).isEqualTo(body);
    }

    @Test
    void parse_maxSize_accepted() throws Exception {
        Checkpoint cp = Checkpoint.parse("o\n9223372036854775807\n" + ROOT8 + "\n");
        assertThat(cp.size()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rootHash_mutatedCopy_doesNotChangeCheckpoint() throws Exception {
        Checkpoint cp = Checkpoint.parse(BODY8);
        cp.rootHash()[0] ^= 1;
        assertThat(cp.body()).isEqualTo(BODY8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "example.org/log\n08\n" + ROOT8 + "\n",       // leading zero
        "example.org/log\n00\n" + ROOT8 + "\n",
        "example.org/log\n-8\n" + ROOT8 + "\n",       // negative
        "example.org/log\n+8\n" + ROOT8 + "\n",       // sign
        "example.org/log\n 8\n" + ROOT8 + "\n",
        "example.org/log\n8.0\n" + ROOT8 + "\n",
        "example.org/log\n\n" + ROOT8 + "\n",         // empty size
        "example.org/log\n9223372036854775808\n" + ROOT8 + "\n", // 2^63
        "example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n", // no padding
        "example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy!=\n", // bad base64
        "example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n", // 31 bytes
        "example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyhh\n", // 33 bytes
        "example.org/log\n8\n",                       // missing root
        "example.org/log\n",
        "",
        "\n8\n" + ROOT8 + "\n",                        // empty origin
        "example.org/log\n8\n" + ROOT8,                // no final newline
        "example.org/log\n8\n" + ROOT8 + "\n\n",       // empty extension line
        "example.org/log\n8\n" + ROOT8 + "\n\next\n",
        "example.org/log\r\n8\n" + ROOT8 + "\n",       // control character
    })
    void parse_malformedBody_rejected(String body) {
        assertThatThrownBy(() -> Checkpoint.parse(body)).isInstanceOf(NoteFormatException.class);
    }

    @Test
    void parse_leadingZero_messageNamesTheValue() {
        assertThatThrownBy(() -> Checkpoint.parse("o\n007\n" + ROOT8 + "\n"))
                .hasMessageContaining("leading zeros").hasMessageContaining("\"007\"");
    }

    @Test
    void of_invalidFields_rejected() {
        byte[] h = new byte[32];
        assertThatThrownBy(() -> Checkpoint.of("", 1, h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("a\nb", 1, h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("o", -1, h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("o", 1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("o", 1, h, List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedVector_openedAsNote_parsesAsCheckpoint() throws Exception {
        Note n = SignedNote.open(NOTE8, List.of(VerifierKey.parse(KeysTest.VKEY)));
        assertThat(Checkpoint.parse(n.text()).size()).isEqualTo(8);
    }

    @Test
    void signedCheckpoint_signThenOpen_roundTrips() throws Exception {
        SignerKey log = SignerKey.fromSeed("example.org/log", new byte[32]);
        Checkpoint cp = Checkpoint.parse(BODY8);
        String note = SignedCheckpoint.sign(cp, log);
        assertThat(note).startsWith(BODY8 + "\n\u2014 example.org/log ");
        assertThat(SignedCheckpoint.open(note, log.verifierKey())).isEqualTo(cp);
    }

    @Test
    void signedCheckpoint_openWithKeyNamedOtherThanOrigin_rejected() throws Exception {
        // The shared vector is signed by PeterNeumann for origin example.org/log.
        assertThatThrownBy(() -> SignedCheckpoint.open(NOTE8, VerifierKey.parse(KeysTest.VKEY)))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("\"example.org/log\"").hasMessageContaining("\"PeterNeumann\"");
    }

    @Test
    void signedCheckpoint_signWithKeyNamedOtherThanOrigin_refused() throws Exception {
        assertThatThrownBy(() -> SignedCheckpoint.sign(Checkpoint.parse(BODY8), SignerKey.parse(KeysTest.SKEY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signedCheckpoint_openWithOtherLogKey_rejected() throws Exception {
        SignerKey log = SignerKey.fromSeed("example.org/log", new byte[32]);
        byte[] seed = new byte[32];
        seed[0] = 1;
        VerifierKey impostor = SignerKey.fromSeed("example.org/log", seed).verifierKey();
        String note = SignedCheckpoint.sign(Checkpoint.parse(BODY8), log);
        assertThatThrownBy(() -> SignedCheckpoint.open(note, impostor))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("no signature by a known key");
    }

    @Test
    void signedCheckpoint_signedMalformedBody_rejectedOnOpen() throws Exception {
        SignerKey log = SignerKey.fromSeed("example.org/log", new byte[32]);
        String note = SignedNote.sign("example.org/log\n08\n" + ROOT8 + "\n", log);
        assertThatThrownBy(() -> SignedCheckpoint.open(note, log.verifierKey()))
                .isInstanceOf(NoteFormatException.class);
    }
}
