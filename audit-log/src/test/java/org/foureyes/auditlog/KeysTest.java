package org.foureyes.auditlog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {
    // The Ed25519 test key of golang.org/x/mod/sumdb/note.
    static final String SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    @Test
    void parse_goTestVerifierKey_exposesFieldsAndRoundTrips() throws Exception {
        VerifierKey k = VerifierKey.parse(VKEY);
        assertThat(k.name()).isEqualTo("PeterNeumann");
        assertThat(k.keyId()).isEqualTo(0xc74f20a3);
        assertThat(k.keyIdHex()).isEqualTo("c74f20a3");
        assertThat(k.publicKey()).hasSize(32);
        assertThat(k.toString()).isEqualTo(VKEY);
        assertThat(k).isEqualTo(VerifierKey.of("PeterNeumann", k.publicKey())).hasSameHashCodeAs(VerifierKey.parse(VKEY));
    }

    @Test
    void publicKey_mutatedCopy_doesNotChangeKey() throws Exception {
        VerifierKey k = VerifierKey.parse(VKEY);
        k.publicKey()[0] ^= 1;
        assertThat(k.toString()).isEqualTo(VKEY);
    }

    @Test
    void parse_goTestSignerKey_derivesMatchingVerifierKeyAndEncodes() throws Exception {
        SignerKey s = SignerKey.parse(SKEY);
        assertThat(s.name()).isEqualTo("PeterNeumann");
        assertThat(s.verifierKey().toString()).isEqualTo(VKEY);
        assertThat(s.encode()).isEqualTo(SKEY);
    }

    @Test
    void toString_signerKey_doesNotRevealSeed() throws Exception {
        SignerKey s = SignerKey.parse(SKEY);
        assertThat(s.toString()).isEqualTo("SignerKey[PeterNeumann+c74f20a3]").doesNotContain("AYEKF");
    }

    @Test
    void sign_thenVerify_acceptsAndRejectsOtherMessageOrKey() throws Exception {
        SignerKey s = SignerKey.generate("alice");
        byte[] msg = "hello\n".getBytes(UTF_8);
        byte[] sig = s.sign(msg);
        s.verifierKey().verify(msg, sig);
        assertThat(s.verifierKey().isValid(msg, sig)).isTrue();
        assertThat(s.verifierKey().isValid("hellO\n".getBytes(UTF_8), sig)).isFalse();
        assertThat(SignerKey.generate("alice").verifierKey().isValid(msg, sig)).isFalse();
        sig[10] ^= 4;
        assertThatThrownBy(() -> s.verifierKey().verify(msg, sig))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("alice+" + s.verifierKey().keyIdHex());
        assertThat(s.verifierKey().isValid(msg, new byte[63])).isFalse();
    }

    @Test
    void generate_twice_givesDifferentKeys() throws Exception {
        assertThat(SignerKey.generate("a")).isNotEqualTo(SignerKey.generate("a"));
    }

    @Test
    void fromSeed_sameSeed_givesEqualKeys() throws Exception {
        byte[] seed = new byte[32];
        seed[0] = 7;
        assertThat(SignerKey.fromSeed("n", seed)).isEqualTo(SignerKey.fromSeed("n", seed));
        assertThatThrownBy(() -> SignerKey.fromSeed("n", new byte[31])).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("32 bytes, got 31");
    }

    @Test
    void parse_wrongKeyId_rejectedNamingBothIds() {
        assertThatThrownBy(() -> VerifierKey.parse(VKEY.replace("c74f20a3", "c74f20a4")))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("c74f20a4").hasMessageContaining("computed c74f20a3");
        assertThatThrownBy(() -> SignerKey.parse(SKEY.replace("c74f20a3", "00000000")))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("computed c74f20a3");
    }

    @Test
    void parse_wrongTypeByte_rejected() {
        byte[] raw = Base64.getDecoder().decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        raw[0] = 4;
        String text = "PeterNeumann+c74f20a3+" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> VerifierKey.parse(text)).isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("expected key type 0x01, got 0x04");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", // truncated base64
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=", // bad padding
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T!",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy",   // short key
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // uppercase id
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",           // empty name
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter\u00a0Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter+Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "",
    })
    void parse_malformedVerifierKey_rejected(String text) {
        assertThatThrownBy(() -> VerifierKey.parse(text)).isInstanceOf(KeyFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", // no PRIVATE+KEY
        "PRIVATE+KEY+PeterNeumann+c74f20a3",
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF",
        "PRIVATE+KEY+Peter Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
    })
    void parse_malformedSignerKey_rejectedWithoutLeakingSeed(String text) {
        assertThatThrownBy(() -> SignerKey.parse(text)).isInstanceOf(KeyFormatException.class)
                .message().doesNotContain("AYEKFALVFGyNhPJEMzD1QIDr");
    }

    @Test
    void of_invalidName_rejected() {
        assertThatThrownBy(() -> VerifierKey.of("a\tb", new byte[32])).isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> VerifierKey.of("a\u2003b", new byte[32])).isInstanceOf(KeyFormatException.class);
        assertThatThrownBy(() -> VerifierKey.of("a\u0085b", new byte[32])).isInstanceOf(KeyFormatException.class);
    }
}
