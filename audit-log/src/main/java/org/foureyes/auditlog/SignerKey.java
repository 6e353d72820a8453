package org.foureyes.auditlog;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key with a name, in the signer-key format of C2SP signed-note
 * ({@code PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>}).
 *
 * <p>Security guarantee: signatures made by {@link #sign} verify under {@link #verifierKey()} and
 * under no other key; Ed25519 signing is deterministic (RFC 8032) so it does not depend on a
 * random number generator after key generation. {@link #toString()} never reveals the secret;
 * only {@link #encode()} does. Instances are immutable and {@link #sign} is safe to call from many
 * threads at once.
 */
public final class SignerKey implements Signer {
    private static final String PREFIX = "PRIVATE+KEY+";
    private static final int SEED_SIZE = 32;

    private final byte[] seed;
    private final Ed25519PrivateKeyParameters privateParams;
    private final Ed25519PublicKeyParameters publicParams;
    private final VerifierKey verifierKey;

    private SignerKey(String name, byte[] seed) throws KeyFormatException {
        this.seed = seed;
        this.privateParams = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicParams = privateParams.generatePublicKey();
        this.verifierKey = VerifierKey.of(name, publicParams.getEncoded());
    }

    /** Generates a new key from {@link SecureRandom}. */
    public static SignerKey generate(String name) throws KeyFormatException {
        byte[] seed = new byte[SEED_SIZE];
        new SecureRandom().nextBytes(seed);
        try {
            return fromSeed(name, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Builds a key from a 32-byte Ed25519 seed (the RFC 8032 private key). The seed is copied.
     *
     * @throws KeyFormatException if the name breaks the signed-note name rules or the seed is not
     *     32 bytes
     */
    public static SignerKey fromSeed(String name, byte[] seed) throws KeyFormatException {
        Objects.requireNonNull(seed, "seed");
        if (!Encoding.isValidKeyName(name)) {
            throw new KeyFormatException("invalid key name " + (name == null ? "null" : Encoding.quote(name))
                    + ": must be non-empty, without '+' and without whitespace");
        }
        if (seed.length != SEED_SIZE) {
            throw new KeyFormatException("Ed25519 seed of " + name + " must be 32 bytes, got " + seed.length);
        }
        return new SignerKey(name, seed.clone());
    }

    /**
     * Parses {@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>}. Error messages never
     * include the key material.
     *
     * @throws KeyFormatException if the text is malformed, the type byte is not 0x01, or the key id
     *     does not match the public key derived from the seed
     */
    public static SignerKey parse(String text) throws KeyFormatException {
        Objects.requireNonNull(text, "text");
        if (!text.startsWith(PREFIX)) {
            throw new KeyFormatException("signer key must start with PRIVATE+KEY+");
        }
        // Limit 3: base64 may itself contain '+'.
        String[] parts = text.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new KeyFormatException("signer key must be PRIVATE+KEY+<name>+<key id>+<base64 seed>");
        }
        byte[] raw = VerifierKey.parseTypedKey(parts, VerifierKey.TYPE_ED25519, "signer key");
        byte[] seed = Arrays.copyOfRange(raw, 1, raw.length);
        Arrays.fill(raw, (byte) 0);
        SignerKey key = new SignerKey(parts[0], seed);
        VerifierKey.checkKeyId(parts[0], parts[1], key.verifierKey.keyId());
        return key;
    }

    @Override
    public String name() {
        return verifierKey.name();
    }

    /** The matching public key, with the same name and key id. */
    @Override
    public VerifierKey verifierKey() {
        return verifierKey;
    }

    /** Returns the 64-byte Ed25519 signature of {@code message}. */
    @Override
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        byte[] sig = new byte[VerifierKey.SIGNATURE_SIZE];
        // Passing the cached public key avoids re-deriving it per signature; no shared mutable state.
        privateParams.sign(Ed25519.Algorithm.Ed25519, publicParams, null, message, 0, message.length, sig, 0);
        return sig;
    }

    /** A copy of the 32-byte seed, for this package's JCA bridge (jjwt needs a JCA key). Handle with care. */
    byte[] seed() {
        return seed.clone();
    }

    /** The secret signer-key text {@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>}. */
    public String encode() {
        byte[] raw = new byte[1 + SEED_SIZE];
        raw[0] = VerifierKey.TYPE_ED25519;
        System.arraycopy(seed, 0, raw, 1, SEED_SIZE);
        String text = PREFIX + name() + "+" + verifierKey.keyIdHex() + "+" + Encoding.base64(raw);
        Arrays.fill(raw, (byte) 0);
        return text;
    }

    /** {@code SignerKey[<name>+<key id>]}: identifies the key without revealing it. */
    @Override
    public String toString() {
        return "SignerKey[" + name() + "+" + verifierKey.keyIdHex() + "]";
    }

    /** Keys are equal if they have the same name and seed; compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SignerKey && verifierKey.equals(((SignerKey) o).verifierKey)
                && java.security.MessageDigest.isEqual(seed, ((SignerKey) o).seed);
    }

    @Override
    public int hashCode() {
        return verifierKey.hashCode();
    }
}
