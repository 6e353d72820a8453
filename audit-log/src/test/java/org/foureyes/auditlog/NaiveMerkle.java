package org.foureyes.auditlog;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 section 2.1 written as literally as possible (recursive MTH, PATH, SUBPROOF over the
 * whole list of leaf hashes), with its own SHA-256 calls: the independent reference for tests.
 */
final class NaiveMerkle {
    private final List<byte[]> leafHashes;

    NaiveMerkle(List<byte[]> leafHashes) {
        this.leafHashes = leafHashes;
    }

    /** MTH(D[0:n]). */
    byte[] root(int n) {
        return n == 0 ? sha256(new byte[0]) : mth(0, n);
    }

    private byte[] mth(int lo, int hi) {
        int n = hi - lo;
        if (n == 1) {
            return leafHashes.get(lo);
        }
        int k = largestPowerOfTwoBelow(n);
        return node(mth(lo, lo + k), mth(lo + k, hi));
    }

    /** MTH of the leaves under a complete subtree node. */
    byte[] subtree(NodeId id) {
        return mth((int) id.begin(), (int) id.end());
    }

    /** PATH(m, D[0:n]). */
    List<byte[]> path(int m, int n) {
        return path(m, 0, n);
    }

    private List<byte[]> path(int m, int lo, int hi) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            out.addAll(path(m, lo, lo + k));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(path(m - k, lo + k, hi));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    /** PROOF(m, D[0:n]). */
    List<byte[]> consistency(int m, int n) {
        if (m == 0 || m == n) {
            return new ArrayList<>();
        }
        return subproof(m, 0, n, true);
    }

    private List<byte[]> subproof(int m, int lo, int hi, boolean b) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(lo, hi));
            }
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            out.addAll(subproof(m, lo, lo + k, b));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(subproof(m - k, lo + k, hi, false));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    static int largestPowerOfTwoBelow(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    static byte[] leaf(byte[] data) {
        byte[] in = new byte[data.length + 1];
        System.arraycopy(data, 0, in, 1, data.length);
        return sha256(in);
    }

    static byte[] node(byte[] l, byte[] r) {
        byte[] in = new byte[1 + l.length + r.length];
        in[0] = 1;
        System.arraycopy(l, 0, in, 1, l.length);
        System.arraycopy(r, 0, in, 1 + l.length, r.length);
        return sha256(in);
    }

    static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
