package org.foureyes.auditlog.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The benchmarks' SHA-256 baseline, in the verifier's package so that it reads an export with the
 * verifier's own {@link LineReader} (same block size and line limit as {@link LogVerifier}) and
 * does nothing else per line.
 */
public final class LineDigests {
    private static final int BLOCK_SIZE = 1 << 20;

    private LineDigests() {
    }

    /** SHA-256 of every line of {@code file}; returns the number of lines. */
    public static long sha256Lines(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] out = new byte[32];
        long lines = 0;
        try (InputStream in = Files.newInputStream(file)) {
            LineReader reader = new LineReader(in, BLOCK_SIZE, LogVerifier.MAX_ENTRY_BYTES);
            while (reader.next()) {
                md.update(reader.buffer(), reader.offset(), reader.length());
                try {
                    md.digest(out, 0, 32);
                } catch (DigestException e) {
                    throw new IllegalStateException(e);
                }
                lines++;
            }
        }
        return lines;
    }
}
