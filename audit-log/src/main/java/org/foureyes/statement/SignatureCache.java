package org.foureyes.statement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.foureyes.auditlog.VerifierKey;

/**
 * Remembers which exact statements have had their Ed25519 signature verified under which key, so
 * that a process which verifies the same statement several times (the server verifies it on the
 * request thread, then the ledger again in {@code decide} and in {@code apply} on the single writer
 * thread) does the curve arithmetic once. An entry is the SHA-256 of the key and the statement's
 * exact characters, added only after the signature verified; nothing else is skipped (every other
 * check of {@link StatementVerifier} still runs). Bounded: cleared when full. Thread-safe. Offline
 * checkers need none.
 */
public final class SignatureCache {
    private final int capacity;
    private final Set<Key> verified = ConcurrentHashMap.newKeySet();

    private record Key(long a, long b, long c, long d) {
    }

    public SignatureCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    boolean contains(VerifierKey key, String compact) {
        return verified.contains(key(key, compact));
    }

    void add(VerifierKey key, String compact) {
        if (verified.size() >= capacity) {
            verified.clear();
        }
        verified.add(key(key, compact));
    }

    public int size() {
        return verified.size();
    }

    private static Key key(VerifierKey verifierKey, String compact) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(verifierKey.toString().getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        byte[] h = md.digest(compact.getBytes(StandardCharsets.US_ASCII));
        return new Key(get(h, 0), get(h, 8), get(h, 16), get(h, 24));
    }

    private static long get(byte[] h, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[off + i] & 0xff);
        }
        return v;
    }
}
