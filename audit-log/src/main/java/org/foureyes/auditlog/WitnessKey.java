package org.foureyes.auditlog;

import java.util.Arrays;
import java.util.Objects;

/**
 * A witness's (cosigner's) Ed25519 public key for C2SP tlog-cosignature/v1, as a verifier key of
 * signature type 0x04: {@code <name>+<8 hex key id>+<base64(0x04 || 32-byte public key)>}, with
 * key id = SHA-256(name || 0x0A || 0x04 || public key)[:4].
 *
 * <p>The type byte keeps cosignatures apart from plain note signatures: the same Ed25519 key and
 * name get different key ids as a note signer (0x01) and as a witness (0x04). Immutable.
 */
public final class WitnessKey {
    static final byte TYPE_COSIGNATURE_V1 = 0x04;

    private final VerifierKey ed25519; // the same name and key, used only for Ed25519 verification
    private final int keyId;

    private WitnessKey(VerifierKey ed25519) {
        this.ed25519 = ed25519;
        this.keyId = Encoding.keyId(ed25519.name(), TYPE_COSIGNATURE_V1, ed25519.publicKey());
    }

    /**
     * Builds a witness key from a name and a raw 32-byte Ed25519 public key.
     *
     * @throws KeyFormatException if the name or key is invalid
     */
    public static WitnessKey of(String name, byte[] publicKey) throws KeyFormatException {
        return new WitnessKey(VerifierKey.of(name, publicKey));
    }

    /** The witness key of a signer key used as a cosigner: same name, same Ed25519 key. */
    public static WitnessKey forSigner(SignerKey witness) {
        return new WitnessKey(witness.verifierKey());
    }

    /**
     * Parses {@code <name>+<key id>+<base64(0x04 || public key)>}.
     *
     * @throws KeyFormatException if malformed, the type byte is not 0x04, or the key id does not
     *     match SHA-256(name || 0x0A || 0x04 || key)
     */
    public static WitnessKey parse(String text) throws KeyFormatException {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("\\+", 3);
        if (parts.length != 3) {
            throw new KeyFormatException("witness key must be <name>+<key id>+<base64 key>");
        }
        byte[] raw = VerifierKey.parseTypedKey(parts, TYPE_COSIGNATURE_V1, "witness key");
        WitnessKey key = of(parts[0], Arrays.copyOfRange(raw, 1, raw.length));
        VerifierKey.checkKeyId(parts[0], parts[1], key.keyId);
        return key;
    }

    public String name() {
        return ed25519.name();
    }

    /** The cosignature key id: SHA-256(name || 0x0A || 0x04 || public key)[:4], big-endian. */
    public int keyId() {
        return keyId;
    }

    public String keyIdHex() {
        return Encoding.hex8(keyId);
    }

    /** A copy of the 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return ed25519.publicKey();
    }

    boolean isValid(byte[] message, byte[] signature) {
        return ed25519.isValid(message, signature);
    }

    /** The witness key text {@code <name>+<key id>+<base64(0x04 || key)>}. */
    @Override
    public String toString() {
        byte[] pub = ed25519.publicKey();
        byte[] raw = new byte[1 + pub.length];
        raw[0] = TYPE_COSIGNATURE_V1;
        System.arraycopy(pub, 0, raw, 1, pub.length);
        return name() + "+" + keyIdHex() + "+" + Encoding.base64(raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WitnessKey && ed25519.equals(((WitnessKey) o).ed25519);
    }

    @Override
    public int hashCode() {
        return ed25519.hashCode() ^ 0x04;
    }
}
