package org.foureyes.server.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.ssh.SshKey;

/**
 * A real {@code ssh-agent -D} on a temporary socket, holding keys added with {@code ssh-add}; a
 * foureyes signer key can be added too (written as an OpenSSH key file first). Missing
 * openssh-client fails the test when {@code CI=true} and skips it otherwise. (audit-log's tests
 * have their own copy: the modules share no test code.)
 */
final class SshAgentForTests implements AutoCloseable {
    final Path dir;
    final Path socket;
    private final Process agent;

    private SshAgentForTests(Path dir, Path socket, Process agent) {
        this.dir = dir;
        this.socket = socket;
        this.agent = agent;
    }

    static SshAgentForTests start(Path dir) throws Exception {
        Path socket = dir.resolve("agent.sock");
        Process p;
        try {
            p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile()).start();
        } catch (IOException e) {
            String message = "ssh-agent (Debian package openssh-client) is not installed";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI=true: not skipping)");
            }
            assumeTrue(false, message);
            throw e;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroy();
                throw new IllegalStateException("ssh-agent did not start: " + Files.readString(dir.resolve("agent.log")));
            }
            Thread.sleep(20);
        }
        return new SshAgentForTests(dir, socket, p);
    }

    /** Adds {@code key} (its seed as an OpenSSH ed25519 key file) with comment {@code comment}; returns its ssh key. */
    SshKey add(String signerKeyText, String comment) throws Exception {
        String b64 = signerKeyText.strip().split("\\+", 5)[4];
        byte[] seed = java.util.Arrays.copyOfRange(Base64.getDecoder().decode(b64), 1, 33);
        byte[] pk = SignerKey.fromSeed("x", seed).verifierKey().publicKey();
        byte[] blob = wire(w -> {
            string(w, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            string(w, pk);
        });
        byte[] privSection = wire(w -> {
            w.writeBytes(ByteBuffer.allocate(8).putInt(0x5eed5eed).putInt(0x5eed5eed).array());
            string(w, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            string(w, pk);
            byte[] both = new byte[64];
            System.arraycopy(seed, 0, both, 0, 32);
            System.arraycopy(pk, 0, both, 32, 32);
            string(w, both);
            string(w, comment.getBytes(StandardCharsets.UTF_8));
            for (int i = 1; w.size() % 8 != 0; i++) {
                w.write(i); // PROTOCOL.key padding 1, 2, 3, ...
            }
        });
        byte[] file = wire(w -> {
            w.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
            string(w, "none".getBytes(StandardCharsets.US_ASCII));
            string(w, "none".getBytes(StandardCharsets.US_ASCII));
            string(w, new byte[0]);
            w.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
            string(w, blob);
            string(w, privSection);
        });
        Path path = dir.resolve("key-" + System.nanoTime());
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(path, "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(file)
                + "\n-----END OPENSSH PRIVATE KEY-----\n");
        addFile(path);
        return new SshKey(blob, comment);
    }

    /** {@code ssh-keygen -t ed25519} a new key with {@code comment}, add it; returns the private key path. */
    Path generateAndAdd(String comment) throws Exception {
        Path key = dir.resolve("gen-" + System.nanoTime());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString());
        addFile(key);
        return key;
    }

    private void addFile(Path key) throws Exception {
        run("ssh-add", "-q", key.toString());
    }

    private void run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    private interface Body {
        void write(ByteArrayOutputStream w) throws IOException;
    }

    private static byte[] wire(Body body) throws IOException {
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        body.write(w);
        return w.toByteArray();
    }

    private static void string(ByteArrayOutputStream w, byte[] b) {
        w.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        w.writeBytes(b);
    }

    @Override
    public void close() throws Exception {
        agent.destroy();
        agent.waitFor(10, TimeUnit.SECONDS);
    }
}
