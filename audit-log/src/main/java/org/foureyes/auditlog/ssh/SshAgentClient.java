package org.foureyes.auditlog.ssh;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A client of the OpenSSH agent protocol (draft-miller-ssh-agent) over the agent's Unix-domain
 * socket, with the JDK's own socket channel (no native code). Only the two requests foureyes needs:
 * list identities, and sign. One connection per request, as ssh itself does per session, so a
 * restarted agent or a long pause costs nothing. Thread-safe (holds no connection).
 */
public final class SshAgentClient {
    static final int FAILURE = 5;
    static final int REQUEST_IDENTITIES = 11;
    static final int IDENTITIES_ANSWER = 12;
    static final int SIGN_REQUEST = 13;
    static final int SIGN_RESPONSE = 14;
    /** Generous for a list of keys or a signature; refuses a peer that would make us allocate more. */
    static final int MAX_MESSAGE = 256 * 1024;
    public static final String SOCKET_ENV = "SSH_AUTH_SOCK";

    private final Path socket;

    public SshAgentClient(Path socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    /**
     * The agent named by {@code SSH_AUTH_SOCK} in {@code env}.
     *
     * @throws SshAgentException if the variable is unset or empty
     */
    public static SshAgentClient fromEnvironment(Function<String, String> env) throws SshAgentException {
        String path = env.apply(SOCKET_ENV);
        if (path == null || path.isEmpty()) {
            throw new SshAgentException(SOCKET_ENV + " is not set, so there is no ssh-agent to ask: start one"
                    + " (eval $(ssh-agent)) and add your key with ssh-add, or use a key file");
        }
        return new SshAgentClient(Path.of(path));
    }

    public Path socket() {
        return socket;
    }

    /** The keys the agent holds, in its order. */
    public List<SshKey> identities() throws SshAgentException {
        SshWire.Reader r = request(new SshWire.Writer().u8(REQUEST_IDENTITIES).bytes(), "list keys");
        int type = r.u8();
        if (type != IDENTITIES_ANSWER) {
            throw new SshAgentException("the ssh-agent at " + socket + " did not list its keys (answer type "
                    + type + ")");
        }
        long n = r.u32();
        if (n > MAX_MESSAGE / 8) {
            throw new SshAgentException("the ssh-agent at " + socket + " claims " + n + " keys");
        }
        List<SshKey> keys = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            byte[] blob = r.string();
            keys.add(new SshKey(blob, r.utf8()));
        }
        return List.copyOf(keys);
    }

    /**
     * Asks the agent to sign {@code data} with {@code key} (flags 0) and returns the signature blob
     * of the answer, unchecked.
     *
     * @throws SshAgentException if the agent answers FAILURE (the message says what that means for
     *     foureyes) or anything but a signature
     */
    public byte[] sign(SshKey key, byte[] data) throws SshAgentException {
        byte[] msg = new SshWire.Writer().u8(SIGN_REQUEST).string(key.blob()).string(data).u32(0).bytes();
        SshWire.Reader r = request(msg, "sign");
        int type = r.u8();
        if (type == FAILURE) {
            // The protocol gives no reason. For a key it lists, an OpenSSH agent refuses a plain
            // (unbound) sign request when the key carries a destination constraint.
            throw new SshAgentException("the ssh-agent refused to sign with " + key.describe() + ". An OpenSSH"
                    + " agent refuses this for a key added with a destination constraint (ssh-add -h): such a key"
                    + " may only sign for the ssh hosts it names and cannot sign for foureyes; add the key again"
                    + " without -h. (The agent also refuses when a key added with ssh-add -c is not confirmed, or"
                    + " was removed meanwhile.)");
        }
        if (type != SIGN_RESPONSE) {
            throw new SshAgentException("the ssh-agent answered a sign request with message type " + type);
        }
        byte[] sig = r.string();
        if (!r.atEnd()) {
            throw new SshAgentException("malformed sign answer from the ssh-agent (trailing bytes)");
        }
        return sig;
    }

    private SshWire.Reader request(byte[] body, String what) throws SshAgentException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new SshAgentException("cannot reach the ssh-agent at " + socket + " (" + SOCKET_ENV + "): "
                        + e.getMessage() + "; is the agent running?", e);
            }
            ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = readFully(ch, ByteBuffer.allocate(4));
            int n = len.flip().getInt();
            if (n <= 0 || n > MAX_MESSAGE) {
                throw new SshAgentException("the ssh-agent at " + socket + " sent a message of " + (n & 0xffffffffL)
                        + " bytes");
            }
            return new SshWire.Reader(readFully(ch, ByteBuffer.allocate(n)).array());
        } catch (SshAgentException e) {
            throw e;
        } catch (IOException e) {
            throw new SshAgentException("the ssh-agent at " + socket + " failed to " + what + ": " + e.getMessage(),
                    e);
        }
    }

    private ByteBuffer readFully(SocketChannel ch, ByteBuffer b) throws IOException, SshAgentException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new SshAgentException("the ssh-agent at " + socket + " closed the connection mid-answer");
            }
        }
        return b;
    }
}
