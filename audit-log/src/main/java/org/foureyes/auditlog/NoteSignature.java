package org.foureyes.auditlog;

import java.util.Arrays;
import java.util.Optional;

/**
 * One signature line of a signed note, {@code — <name> base64(key id || signature)}. For a
 * verified signature {@link #key()} holds the key that verified it; for an unverified one (its
 * name and key id match no known key) it is empty and the signature bytes mean nothing yet.
 */
public final class NoteSignature {
    private final String name;
    private final int keyId;
    private final byte[] signature;
    private final VerifierKey key;

    NoteSignature(String name, int keyId, byte[] signature, VerifierKey key) {
        this.name = name;
        this.keyId = keyId;
        this.signature = signature;
        this.key = key;
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    public String keyIdHex() {
        return Encoding.hex8(keyId);
    }

    /** A copy of the signature bytes after the 4-byte key id. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The key that verified this signature; empty if it is unverified. */
    public Optional<VerifierKey> key() {
        return Optional.ofNullable(key);
    }

    /** The signature line, with its final newline. */
    public String line() {
        byte[] payload = new byte[4 + signature.length];
        payload[0] = (byte) (keyId >>> 24);
        payload[1] = (byte) (keyId >>> 16);
        payload[2] = (byte) (keyId >>> 8);
        payload[3] = (byte) keyId;
        System.arraycopy(signature, 0, payload, 4, signature.length);
        return SignedNote.SIG_PREFIX + name + " " + Encoding.base64(payload) + "\n";
    }

    @Override
    public String toString() {
        return (key == null ? "unverified " : "verified ") + name + "+" + keyIdHex();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NoteSignature)) {
            return false;
        }
        NoteSignature s = (NoteSignature) o;
        return name.equals(s.name) && keyId == s.keyId && Arrays.equals(signature, s.signature)
                && java.util.Objects.equals(key, s.key);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + keyId) + Arrays.hashCode(signature);
    }
}
