package org.foureyes.auditlog;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 / RFC 9162 section 2.1 hashing with SHA-256: domain-separated leaf and interior node
 * hashes, so that a leaf can never be passed off as an interior node (second-preimage defence).
 *
 * <p>The static methods use one {@link Hasher} per thread. Hot loops that hash many nodes may
 * hold their own {@code Hasher} instead.
 */
public final class Rfc6962 {

    /** Size in bytes of every hash in the tree. */
    public static final int HASH_SIZE = 32;

    static final byte LEAF_PREFIX = 0x00;
    static final byte NODE_PREFIX = 0x01;

    private static final byte[] EMPTY_ROOT = newHasher().emptyRoot();

    // MessageDigest.getInstance is a provider lookup; reusing one instance per thread keeps it
    // out of the hot path without any locking.
    private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);

    private Rfc6962() {
    }

    /** SHA-256(0x00 || data). */
    public static byte[] leafHash(byte[] data) {
        return HASHERS.get().leafHash(data);
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        return HASHERS.get().nodeHash(left, right);
    }

    /** The root of the empty tree, SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    /** A new hasher with its own digest, for one thread at a time. */
    public static Hasher newHasher() {
        return new Hasher();
    }

    /** The hasher of the calling thread (do not hand it to another thread). */
    static Hasher threadHasher() {
        return HASHERS.get();
    }

    /**
     * Hashes with one reused {@link MessageDigest}. Not thread-safe: use one per thread or per
     * single-threaded object.
     */
    public static final class Hasher {
        private final MessageDigest digest;

        private Hasher() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                // Every Java platform must provide SHA-256.
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }

        /** SHA-256(0x00 || data). */
        public byte[] leafHash(byte[] data) {
            digest.update(LEAF_PREFIX);
            digest.update(data);
            return digest.digest();
        }

        /** SHA-256(0x01 || left || right); both inputs must be 32 bytes. */
        public byte[] nodeHash(byte[] left, byte[] right) {
            byte[] out = new byte[HASH_SIZE];
            nodeHash(left, right, out, 0);
            return out;
        }

        /**
         * Writes SHA-256(0x01 || left || right) into {@code out} at {@code offset}, without
         * allocating. {@code out} may be {@code left} or {@code right}: the inputs are consumed
         * before the output is written.
         */
        public void nodeHash(byte[] left, byte[] right, byte[] out, int offset) {
            checkHash(left, "left");
            checkHash(right, "right");
            digest.update(NODE_PREFIX);
            digest.update(left);
            digest.update(right);
            try {
                digest.digest(out, offset, HASH_SIZE);
            } catch (DigestException e) {
                throw new IllegalArgumentException("output buffer too small", e);
            }
        }

        /** SHA-256 of the empty string. */
        public byte[] emptyRoot() {
            return digest.digest();
        }
    }

    static void checkHash(byte[] hash, String what) {
        if (hash == null) {
            throw new NullPointerException(what + " hash is null");
        }
        if (hash.length != HASH_SIZE) {
            throw new IllegalArgumentException(
                    what + " hash has " + hash.length + " bytes, want " + HASH_SIZE);
        }
    }
}
