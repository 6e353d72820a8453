package org.foureyes.auditlog;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key with a name, in the verifier-key format of C2SP signed-note
 * ({@code <name>+<8 hex key id>+<base64(0x01 || 32-byte public key)>}).
 *
 * <p>Security guarantee: if {@link #verify} returns normally, the signature was made over exactly
 * {@code message} by the holder of the private key matching {@link #publicKey()} (Ed25519, RFC
 * 8032, non-malleable: non-canonical S is refused). The name and key id are not authenticated by
 * the key itself; they identify it and are bound to it only by the key id hash. Instances are
 * immutable and safe to share between threads.
 */
public final class VerifierKey {
    /** Signature algorithm byte of Ed25519 in C2SP signed-note. */
    static final byte TYPE_ED25519 = 0x01;
    static final int PUBLIC_KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final Ed25519PublicKeyParameters params;

    private VerifierKey(String name, byte[] publicKey, Ed25519PublicKeyParameters params) {
        this.name = name;
        this.publicKey = publicKey;
        this.params = params;
        this.keyId = Encoding.keyId(name, TYPE_ED25519, publicKey);
    }

    /**
     * Builds a key from a name and a raw 32-byte Ed25519 public key.
     *
     * @throws KeyFormatException if the name breaks the signed-note name rules, or the key is not
     *     32 bytes or not a valid Ed25519 point encoding
     */
    public static VerifierKey of(String name, byte[] publicKey) throws KeyFormatException {
        Objects.requireNonNull(publicKey, "publicKey");
        if (!Encoding.isValidKeyName(name)) {
            throw new KeyFormatException("invalid key name " + (name == null ? "null" : Encoding.quote(name))
                    + ": must be non-empty, without '+' and without whitespace");
        }
        if (publicKey.length != PUBLIC_KEY_SIZE) {
            throw new KeyFormatException("Ed25519 public key of " + name + " must be 32 bytes, got " + publicKey.length);
        }
        byte[] copy = publicKey.clone();
        return new VerifierKey(name, copy, decodePoint(name, copy));
    }

    /**
     * Parses {@code <name>+<key id>+<base64(0x01 || public key)>}.
     *
     * @throws KeyFormatException if the text is malformed, the key type is not 0x01 (Ed25519), the
     *     key length is wrong, or the key id does not match SHA-256(name || 0x0A || 0x01 || key)
     */
    public static VerifierKey parse(String text) throws KeyFormatException {
        Objects.requireNonNull(text, "text");
        // Limit 3: base64 may itself contain '+'; names may not (as Go's chop on the first '+').
        String[] parts = text.split("\\+", 3);
        if (parts.length != 3) {
            throw new KeyFormatException("verifier key must be <name>+<key id>+<base64 key>");
        }
        byte[] raw = parseTypedKey(parts, TYPE_ED25519, "verifier key");
        VerifierKey key = of(parts[0], Arrays.copyOfRange(raw, 1, raw.length));
        checkKeyId(parts[0], parts[1], key.keyId);
        return key;
    }

    /**
     * Checks the fields of {@code <name>+<hex id>+<base64(type || key)>} except the id hash; shared
     * with the witness and signer key parsers so all three refuse the same malformations.
     */
    static byte[] parseTypedKey(String[] parts, byte type, String what) throws KeyFormatException {
        String name = parts[parts.length - 3];
        if (!Encoding.isValidKeyName(name)) {
            throw new KeyFormatException(what + ": invalid key name " + Encoding.quote(name));
        }
        if (Encoding.parseHex8(parts[parts.length - 2]) == null) {
            throw new KeyFormatException(what + " " + name + ": key id must be 8 lowercase hex digits, got "
                    + Encoding.quote(parts[parts.length - 2]));
        }
        byte[] raw = Encoding.decodeBase64(parts[parts.length - 1]);
        if (raw == null) {
            throw new KeyFormatException(what + " " + name + ": key is not canonical padded base64");
        }
        if (raw.length != 1 + PUBLIC_KEY_SIZE) {
            throw new KeyFormatException(what + " " + name + ": expected 33 bytes (type byte and 32-byte key), got "
                    + raw.length);
        }
        if (raw[0] != type) {
            throw new KeyFormatException(String.format("%s %s: expected key type 0x%02x, got 0x%02x",
                    what, name, type, raw[0] & 0xff));
        }
        return raw;
    }

    static void checkKeyId(String name, String idText, int computed) throws KeyFormatException {
        int given = Encoding.parseHex8(idText);
        if (given != computed) {
            throw new KeyFormatException("key " + name + ": key id " + idText + " does not match the key, computed "
                    + Encoding.hex8(computed));
        }
    }

    private static Ed25519PublicKeyParameters decodePoint(String name, byte[] key) throws KeyFormatException {
        try {
            return new Ed25519PublicKeyParameters(key, 0);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("public key of " + name + " is not a valid Ed25519 point", e);
        }
    }

    public String name() {
        return name;
    }

    /** The key id: first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key). */
    public int keyId() {
        return keyId;
    }

    /** The key id as 8 lowercase hex digits. */
    public String keyIdHex() {
        return Encoding.hex8(keyId);
    }

    /** A copy of the 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Verifies an Ed25519 signature over {@code message}.
     *
     * @throws BadSignatureException if the signature is not a valid signature of this key over
     *     exactly these bytes
     */
    public void verify(byte[] message, byte[] signature) throws BadSignatureException {
        if (!isValid(message, signature)) {
            throw new BadSignatureException("signature by " + name + "+" + keyIdHex() + " does not verify"
                    + (signature != null && signature.length != SIGNATURE_SIZE
                            ? " (signature is " + signature.length + " bytes, expected 64)" : ""));
        }
    }

    /** Returns whether {@code signature} is a valid signature of this key over {@code message}. */
    public boolean isValid(byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        if (signature == null || signature.length != SIGNATURE_SIZE) {
            return false;
        }
        // Direct call: the parameters object is immutable and thread-safe, and skips the copy
        // that Ed25519Signer makes of the message.
        return params.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    /** The verifier-key text {@code <name>+<key id>+<base64(0x01 || key)>}. */
    @Override
    public String toString() {
        byte[] raw = new byte[1 + PUBLIC_KEY_SIZE];
        raw[0] = TYPE_ED25519;
        System.arraycopy(publicKey, 0, raw, 1, PUBLIC_KEY_SIZE);
        return name + "+" + keyIdHex() + "+" + Encoding.base64(raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierKey && name.equals(((VerifierKey) o).name)
                && Arrays.equals(publicKey, ((VerifierKey) o).publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(publicKey);
    }
}
