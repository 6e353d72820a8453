package org.foureyes.auditlog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignedNoteTest {
    static SignerKey peter;
    static VerifierKey peterV;
    static SignerKey alice;
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";

    @BeforeAll
    static void keys() throws Exception {
        peter = SignerKey.parse(KeysTest.SKEY);
        peterV = VerifierKey.parse(KeysTest.VKEY);
        alice = SignerKey.fromSeed("example.org/alice", new byte[32]);
    }

    static Stream<JsonNode> vectors() throws Exception {
        try (InputStream in = SignedNoteTest.class.getResourceAsStream("/testdata/signed-note/vectors.json")) {
            JsonNode all = new ObjectMapper().readTree(in);
            List<JsonNode> list = new ArrayList<>();
            all.forEach(list::add);
            assertThat(list).hasSize(3);
            return list.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sign_sharedVector_reproducesNoteByteForByte(JsonNode v) throws Exception {
        String note = SignedNote.sign(v.get("text").asText(), SignerKey.parse(v.get("signerKey").asText()));
        assertThat(note.getBytes(UTF_8)).isEqualTo(v.get("signedNote").asText().getBytes(UTF_8));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void open_sharedVector_returnsTextAndVerifiedSignature(JsonNode v) throws Exception {
        VerifierKey key = VerifierKey.parse(v.get("verifierKey").asText());
        Note note = SignedNote.open(v.get("signedNote").asText().getBytes(UTF_8), List.of(key));
        assertThat(note.text()).isEqualTo(v.get("text").asText());
        assertThat(note.verifiedSignatures()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("PeterNeumann");
            assertThat(s.keyIdHex()).isEqualTo("c74f20a3");
            assertThat(s.key()).contains(key);
        });
        assertThat(note.unverifiedSignatures()).isEmpty();
    }

    @Test
    void open_twoSignersOneKnown_verifiesKnownAndReportsOtherUnverified() throws Exception {
        String note = SignedNote.sign(TEXT, peter, alice);
        Note n = SignedNote.open(note, List.of(alice.verifierKey()));
        assertThat(n.verifiedSignatures()).extracting(NoteSignature::name).containsExactly("example.org/alice");
        assertThat(n.unverifiedSignatures()).extracting(NoteSignature::name).containsExactly("PeterNeumann");
        assertThat(n.unverifiedSignatures().get(0).key()).isEmpty();
        assertThat(note).isEqualTo(TEXT + "\n" + n.unverifiedSignatures().get(0).line()
                + n.verifiedSignatures().get(0).line());
    }

    @Test
    void open_textWithEmptyLines_splitsAtLastBlankLine() throws Exception {
        String text = "a\n\nb\n";
        Note n = SignedNote.open(SignedNote.sign(text, peter), List.of(peterV));
        assertThat(n.text()).isEqualTo(text);
    }

    @Test
    void open_wrongKeySameName_rejectedAsNoKnownSignature() throws Exception {
        String note = SignedNote.sign(TEXT, peter);
        VerifierKey other = SignerKey.fromSeed("PeterNeumann", new byte[32]).verifierKey();
        assertThatThrownBy(() -> SignedNote.open(note, List.of(other)))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("no signature by a known key")
                .hasMessageContaining("PeterNeumann+c74f20a3")
                .hasMessageContaining(other.keyIdHex());
    }

    @Test
    void open_unknownKeyOnly_rejected() throws Exception {
        String note = SignedNote.sign(TEXT, alice);
        assertThatThrownBy(() -> SignedNote.open(note, List.of(peterV)))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("no signature by a known key");
        assertThatThrownBy(() -> SignedNote.open(note, List.of()))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void open_alteredText_rejected() throws Exception {
        String note = SignedNote.sign(TEXT, peter).replace("answer", "Answer");
        assertThatThrownBy(() -> SignedNote.open(note, List.of(peterV)))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("PeterNeumann+c74f20a3 does not verify");
    }

    @Test
    void open_corruptedSignatureOfKnownKey_rejectsWholeNoteEvenIfAnotherVerifies() throws Exception {
        String good = SignedNote.sign(TEXT, alice, peter);
        String peterLine = good.substring(good.lastIndexOf(SignedNote.SIG_PREFIX));
        byte[] raw = Base64.getDecoder().decode(peterLine.substring(peterLine.indexOf(' ', 2) + 1).trim());
        raw[20] ^= 1;
        String bad = good.replace(peterLine, SignedNote.SIG_PREFIX + "PeterNeumann "
                + Base64.getEncoder().encodeToString(raw) + "\n");
        assertThat(bad).isNotEqualTo(good);
        assertThatThrownBy(() -> SignedNote.open(bad, List.of(alice.verifierKey(), peterV)))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("PeterNeumann");
        // The spec makes verifiers ignore the line when its key is unknown.
        assertThat(SignedNote.open(bad, List.of(alice.verifierKey())).text()).isEqualTo(TEXT);
    }

    @Test
    void open_signatureWithWrongKeyIdForName_isIgnoredAsUnknown() throws Exception {
        String note = SignedNote.sign(TEXT, peter, alice).replace("x08go", "x08gp");
        Note n = SignedNote.open(note, List.of(peterV, alice.verifierKey()));
        assertThat(n.verifiedSignatures()).extracting(NoteSignature::name).containsExactly("example.org/alice");
        assertThat(n.unverifiedSignatures()).hasSize(1);
    }

    @Test
    void open_duplicateLineForSameKey_rejected() throws Exception {
        String note = SignedNote.sign(TEXT, peter);
        String line = note.substring(note.lastIndexOf(SignedNote.SIG_PREFIX));
        assertThatThrownBy(() -> SignedNote.open(note + line, List.of(peterV)))
                .isInstanceOf(NoteFormatException.class)
                .hasMessageContaining("more than one signature line for key PeterNeumann+c74f20a3");
    }

    @Test
    void open_sixteenSignatures_accepted() throws Exception {
        SignerKey[] keys = new SignerKey[16];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = SignerKey.fromSeed("k" + i, new byte[32]);
        }
        String note = SignedNote.sign(TEXT, keys);
        Note n = SignedNote.open(note, List.of(keys[15].verifierKey()));
        assertThat(n.unverifiedSignatures()).hasSize(15);
    }

    @Test
    void open_moreThan100SignatureLines_rejected() throws Exception {
        StringBuilder note = new StringBuilder(SignedNote.sign(TEXT, peter));
        for (int i = 0; i < 100; i++) {
            note.append(SignedNote.SIG_PREFIX).append("w").append(i).append(" AAAAAAAA\n");
        }
        assertThatThrownBy(() -> SignedNote.open(note.toString(), List.of(peterV)))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("more than 100 signature lines");
        // 100 lines exactly are still read.
        String hundred = note.substring(0, note.lastIndexOf(SignedNote.SIG_PREFIX));
        assertThat(SignedNote.open(hundred, List.of(peterV)).unverifiedSignatures()).hasSize(99);
    }

    static Stream<String> malformedNotes() throws Exception {
        String good = SignedNote.sign(TEXT, SignerKey.parse(KeysTest.SKEY));
        String sig = good.substring(good.lastIndexOf(SignedNote.SIG_PREFIX));
        String b64 = sig.substring(sig.indexOf(' ', 2) + 1, sig.length() - 1);
        return Stream.of(
                TEXT,                                            // no signature block
                TEXT + "\n",                                     // empty signature block
                good.substring(0, good.length() - 1),            // no final newline
                good + "garbage",                                // trailing garbage
                good + "\n",                                     // trailing blank line
                TEXT + sig.replace("\u2014 ", "-- "),            // wrong dash: no valid line after the last blank line
                good.replace("\u2014 ", "\u2014"),               // no space after dash
                good.replace("\u2014 PeterNeumann ", "\u2014 PeterNeumann  "), // double space
                good.replace(b64, b64.substring(0, b64.length() - 1)),         // bad base64
                good.replace(b64, b64.replace("=", "")),          // missing padding
                good.replace(b64, "x08g"),                        // 3 bytes: short signature
                good.replace(b64, "x08gow=="),                    // 4 bytes: key id only
                good.replace(b64, ""),                            // empty signature
                good.replace("\u2014 PeterNeumann", "\u2014 "),   // empty name
                good.replace("problem,", "problem,\r"),           // control character
                good.replace("problem,", "problem,\t"));
    }

    @ParameterizedTest
    @MethodSource("malformedNotes")
    void open_malformedNote_rejected(String note) {
        assertThatThrownBy(() -> SignedNote.open(note, List.of(peterV))).isInstanceOf(NoteFormatException.class);
    }

    @Test
    void open_invalidUtf8_rejected() throws Exception {
        byte[] good = SignedNote.sign(TEXT, peter).getBytes(UTF_8);
        byte[] bad = good.clone();
        bad[3] = (byte) 0xff;
        assertThatThrownBy(() -> SignedNote.open(bad, List.of(peterV)))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("UTF-8");
        String lone = new String(good, UTF_8).replace("If", "I\ud800");
        assertThatThrownBy(() -> SignedNote.open(lone, List.of(peterV))).isInstanceOf(NoteFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no newline", "a\u0000\n", "tab\there\n"})
    void sign_invalidText_rejected(String text) {
        assertThatThrownBy(() -> SignedNote.sign(text, peter)).isInstanceOf(NoteFormatException.class);
    }

    @Test
    void sign_sameKeyTwice_rejected() {
        assertThatThrownBy(() -> SignedNote.sign(TEXT, peter, peter)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void open_sameKnownKeyListedTwice_accepted() throws Exception {
        String note = SignedNote.sign(TEXT, peter);
        assertThat(SignedNote.open(note, List.of(peterV, VerifierKey.parse(KeysTest.VKEY))).text()).isEqualTo(TEXT);
    }
}
