package org.foureyes.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code ssh-agent} (Debian's openssh-client) on a socket in a temporary directory,
 * with helpers to make keys ({@code ssh-keygen}) and add them ({@code ssh-add}). Missing
 * openssh-client fails the test when {@code CI=true} and skips it otherwise.
 */
public final class SshAgentProcess implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final Process agent;

    private SshAgentProcess(Path dir, Path socket, Process agent) {
        this.dir = dir;
        this.socket = socket;
        this.agent = agent;
    }

    /** Starts {@code ssh-agent -D -a <dir>/agent.sock} and waits for its socket. */
    public static SshAgentProcess start(Path dir) throws Exception {
        requireOpenSsh();
        Path socket = dir.resolve("agent.sock");
        Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroy();
                throw new IllegalStateException("ssh-agent did not start: " + Files.readString(dir.resolve("agent.log")));
            }
            Thread.sleep(20);
        }
        return new SshAgentProcess(dir, socket, p);
    }

    private static void requireOpenSsh() {
        boolean present;
        try {
            present = new ProcessBuilder("ssh-agent", "-h").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        String message = "ssh-agent (Debian package openssh-client) is not installed";
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(message + " (CI=true: not skipping)");
        }
        assumeTrue(present, message);
    }

    public Path socket() {
        return socket;
    }

    /** {@code ssh-keygen -t <type> -N '' -C <comment> -f <dir>/<file>}; returns the private key path. */
    public Path keygen(String type, String comment, String file) throws Exception {
        Path key = dir.resolve(file);
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", key.toString());
        return key;
    }

    /** {@code ssh-add [extra...] <key>} against this agent. */
    public void add(Path key, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh-add", "-q"));
        cmd.addAll(List.of(extra));
        cmd.add(key.toString());
        run(cmd.toArray(String[]::new));
    }

    /** The {@code .pub} line of a key made by {@link #keygen}. */
    public String publicKeyLine(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    /** What {@code ssh-keygen -lf} prints as the fingerprint (second field). */
    public String fingerprint(Path key) throws Exception {
        return run("ssh-keygen", "-l", "-f", key + ".pub").split(" ")[1];
    }

    private String run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws Exception {
        agent.destroy();
        agent.waitFor(10, TimeUnit.SECONDS);
    }
}
