package org.foureyes.auditlog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CosignatureTest {
    static final String SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    static final String SPEC_WITNESS_LINE = "\u2014 witness.example.com/w1 "
            + "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

    static SignerKey log;
    static SignerKey w1;
    static SignerKey w2;
    static Checkpoint cp;
    static String logNote;

    @BeforeAll
    static void setUp() throws Exception {
        log = SignerKey.fromSeed("example.org/log", seed(1));
        w1 = SignerKey.fromSeed("witness.example/w1", seed(2));
        w2 = SignerKey.fromSeed("witness.example/w2", seed(3));
        cp = Checkpoint.parse(CheckpointTest.BODY8);
        logNote = SignedCheckpoint.sign(cp, log);
    }

    static byte[] seed(int b) {
        byte[] s = new byte[32];
        s[0] = (byte) b;
        return s;
    }

    @Test
    void signedMessage_specExample_matchesSpecLayout() throws Exception {
        byte[] msg = Cosignature.signedMessage(Checkpoint.parse(SPEC_BODY), 1679315147L);
        assertThat(new String(msg, UTF_8)).isEqualTo("cosignature/v1\ntime 1679315147\n" + SPEC_BODY);
    }

    @Test
    void specExampleLine_unknownWitness_isFramedAsKeyIdTimestampSignature() throws Exception {
        // The spec publishes no key; check the framing: 4 + 8 + 64 bytes, timestamp 1679315147.
        NoteParser.Parsed p = NoteParser.parse(SPEC_BODY + "\n" + SPEC_WITNESS_LINE);
        NoteParser.RawSignature s = p.signatures.get(0);
        assertThat(s.keyId).isEqualTo(0x8d66cf3f);
        assertThat(s.signature).hasSize(72);
        assertThat(ByteBuffer.wrap(s.signature).getLong()).isEqualTo(1679315147L);
    }

    @Test
    void witnessKey_keyIdUsesType04_differsFromNoteKeyIdAndRoundTrips() throws Exception {
        WitnessKey wk = WitnessKey.forSigner(w1);
        assertThat(wk.keyId()).isNotEqualTo(w1.verifierKey().keyId());
        byte[] h = Encoding.sha256("witness.example/w1".getBytes(UTF_8), new byte[] {0x0a, 0x04}, w1.verifierKey().publicKey());
        assertThat(wk.keyIdHex()).isEqualTo(String.format("%02x%02x%02x%02x", h[0], h[1], h[2], h[3]));
        String text = wk.toString();
        assertThat(text).startsWith("witness.example/w1+" + wk.keyIdHex() + "+");
        assertThat(Base64.getDecoder().decode(text.substring(text.lastIndexOf('+') + 1))[0]).isEqualTo((byte) 4);
        assertThat(WitnessKey.parse(text)).isEqualTo(wk);
        assertThat(WitnessKey.parse(text).publicKey()).isEqualTo(w1.verifierKey().publicKey());
    }

    @Test
    void witnessKey_parseNoteVerifierKey_rejectedForTypeByte() {
        assertThatThrownBy(() -> WitnessKey.parse(KeysTest.VKEY)).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("expected key type 0x04, got 0x01");
    }

    @Test
    void witnessKey_parseWithNoteKeyId_rejected() {
        WitnessKey wk = WitnessKey.forSigner(w1);
        String text = wk.toString().replace(wk.keyIdHex(), w1.verifierKey().keyIdHex());
        assertThatThrownBy(() -> WitnessKey.parse(text)).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("computed " + wk.keyIdHex());
    }

    @Test
    void sign_thenVerify_returnsWitnessesAndTimesInNoteOrder() throws Exception {
        String note = logNote + Cosignature.sign(cp, w2, 1700000002L) + Cosignature.sign(cp, w1, 1700000001L);
        List<Cosignature> cos = Cosignature.verify(note, List.of(WitnessKey.forSigner(w1), WitnessKey.forSigner(w2)));
        assertThat(cos).extracting(c -> c.witness().name()).containsExactly("witness.example/w2", "witness.example/w1");
        assertThat(cos).extracting(Cosignature::timestamp).containsExactly(1700000002L, 1700000001L);
        assertThat(note).endsWith(cos.get(0).line() + cos.get(1).line());
        // The log key still opens the cosigned note; cosignature lines are unknown to it.
        Note n = SignedNote.open(note, List.of(log.verifierKey()));
        assertThat(n.unverifiedSignatures()).hasSize(2);
        assertThat(SignedCheckpoint.open(note, log.verifierKey())).isEqualTo(cp);
    }

    @Test
    void sign_lineFormat_isKeyIdTimestampSignature() throws Exception {
        String line = Cosignature.sign(cp, w1, 1234567890L);
        assertThat(line).startsWith("\u2014 witness.example/w1 ").endsWith("\n");
        byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1).trim());
        ByteBuffer b = ByteBuffer.wrap(raw);
        assertThat(raw).hasSize(76);
        assertThat(b.getInt()).isEqualTo(WitnessKey.forSigner(w1).keyId());
        assertThat(b.getLong()).isEqualTo(1234567890L);
        byte[] sig = new byte[64];
        b.get(sig);
        w1.verifierKey().verify(Cosignature.signedMessage(cp, 1234567890L), sig);
    }

    @Test
    void verify_noCosignatureFromWitness_returnsEmpty() throws Exception {
        String note = logNote + Cosignature.sign(cp, w1, 1L);
        assertThat(Cosignature.verify(note, List.of(WitnessKey.forSigner(w2)))).isEmpty();
    }

    @Test
    void verify_alteredTimestamp_rejected() throws Exception {
        String line = Cosignature.sign(cp, w1, 1700000000L);
        byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1).trim());
        ByteBuffer.wrap(raw).putLong(4, 1700000001L);
        String forged = "\u2014 witness.example/w1 " + Base64.getEncoder().encodeToString(raw) + "\n";
        assertThatThrownBy(() -> Cosignature.verify(logNote + forged, List.of(WitnessKey.forSigner(w1))))
                .isInstanceOf(BadSignatureException.class)
                .hasMessageContaining("witness.example/w1").hasMessageContaining("time 1700000001");
    }

    @Test
    void verify_alteredBody_rejected() throws Exception {
        Checkpoint other = Checkpoint.of(cp.origin(), 9, cp.rootHash());
        String note = SignedCheckpoint.sign(other, log) + Cosignature.sign(cp, w1, 5L);
        assertThatThrownBy(() -> Cosignature.verify(note, List.of(WitnessKey.forSigner(w1))))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("size 9");
    }

    @Test
    void verify_lineByOtherKeyUnderWitnessName_isIgnoredAndOtherWitnessKeyRejects() throws Exception {
        SignerKey impostor = SignerKey.fromSeed("witness.example/w1", seed(9));
        String note = logNote + Cosignature.sign(cp, impostor, 5L);
        // Different key id: not the witness's line, so it is ignored.
        assertThat(Cosignature.verify(note, List.of(WitnessKey.forSigner(w1)))).isEmpty();
        // A line whose name and key id do match but whose signature is by another key is rejected.
        String line = Cosignature.sign(cp, impostor, 5L);
        byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1).trim());
        ByteBuffer.wrap(raw).putInt(0, WitnessKey.forSigner(w1).keyId());
        String forged = "\u2014 witness.example/w1 " + Base64.getEncoder().encodeToString(raw) + "\n";
        assertThatThrownBy(() -> Cosignature.verify(logNote + forged, List.of(WitnessKey.forSigner(w1))))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void verify_logSignatureIsNotACosignature() throws Exception {
        // The log key used as a witness key has a different key id (type 0x04), so its note
        // signature never counts as a cosignature.
        assertThat(Cosignature.verify(logNote, List.of(WitnessKey.forSigner(log)))).isEmpty();
    }

    @Test
    void verify_wrongPayloadLengthOrHugeTimestamp_rejectedAsMalformed() throws Exception {
        WitnessKey wk = WitnessKey.forSigner(w1);
        byte[] shortRaw = ByteBuffer.allocate(4 + 64).putInt(wk.keyId()).array();
        String shortLine = "\u2014 witness.example/w1 " + Base64.getEncoder().encodeToString(shortRaw) + "\n";
        assertThatThrownBy(() -> Cosignature.verify(logNote + shortLine, List.of(wk)))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("expected 76 bytes").hasMessageContaining("got 68");
        byte[] huge = ByteBuffer.allocate(76).putInt(wk.keyId()).putLong(-1L).array();
        String hugeLine = "\u2014 witness.example/w1 " + Base64.getEncoder().encodeToString(huge) + "\n";
        assertThatThrownBy(() -> Cosignature.verify(logNote + hugeLine, List.of(wk)))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("18446744073709551615");
    }

    @Test
    void verify_duplicateCosignatureLines_rejected() throws Exception {
        String line = Cosignature.sign(cp, w1, 5L);
        assertThatThrownBy(() -> Cosignature.verify(logNote + line + line, List.of(WitnessKey.forSigner(w1))))
                .isInstanceOf(NoteFormatException.class);
    }

    @Test
    void sign_negativeTime_refused() {
        assertThatThrownBy(() -> Cosignature.sign(cp, w1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
