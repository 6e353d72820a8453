package org.foureyes.auditlog.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The SSH wire encoding (RFC 4251 section 5) that the agent protocol uses: uint32 and string. */
final class SshWire {
    private SshWire() {
    }

    /** Builds a message body. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u8(int b) {
            out.write(b);
            return this;
        }

        Writer u32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
            return this;
        }

        Writer string(byte[] b) {
            u32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Writer string(String s) {
            return string(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Reads a message body; every read past the end or with an impossible length is a {@link SshAgentException}. */
    static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] bytes) {
            this.in = ByteBuffer.wrap(bytes);
        }

        int u8() throws SshAgentException {
            try {
                return in.get() & 0xff;
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        long u32() throws SshAgentException {
            try {
                return in.getInt() & 0xffffffffL;
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        byte[] string() throws SshAgentException {
            long n = u32();
            if (n > in.remaining()) {
                throw truncated();
            }
            byte[] b = new byte[(int) n];
            in.get(b);
            return b;
        }

        String utf8() throws SshAgentException {
            return new String(string(), StandardCharsets.UTF_8);
        }

        boolean atEnd() {
            return !in.hasRemaining();
        }

        private static SshAgentException truncated() {
            return new SshAgentException("malformed answer from the ssh-agent (truncated)");
        }
    }
}
