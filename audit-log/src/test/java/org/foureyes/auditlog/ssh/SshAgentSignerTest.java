package org.foureyes.auditlog.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SigningException;
import org.foureyes.testing.SshAgentProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing an agent key and refusing the ones that cannot sign for foureyes, against a real ssh-agent. */
class SshAgentSignerTest {
    private static final byte[] MESSAGE = "header.payload".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void select_byFingerprintAsSshKeygenPrintsIt_findsTheKeyAndSignsVerifiably() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            Path a = agent.keygen("ed25519", "same", "a");
            Path b = agent.keygen("ed25519", "other", "b");
            agent.add(a);
            agent.add(b);
            SshAgentClient client = new SshAgentClient(agent.socket());

            SshKey key = SshAgentSigner.select(client.identities(), agent.fingerprint(b));
            SshAgentSigner signer = SshAgentSigner.of(client, key, "bob");

            assertThat(key.comment()).isEqualTo("other");
            assertThat(signer.verifierKey().isValid(MESSAGE, signer.sign(MESSAGE))).isTrue();
            assertThat(signer.verifierKey().publicKey())
                    .isEqualTo(SshKey.parsePublicKeyLine(agent.publicKeyLine(b)).ed25519PublicKey());
        }
    }

    @Test
    void select_commentOfTwoKeys_isAmbiguousAndListsTheKeys() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            Path a = agent.keygen("ed25519", "same", "a");
            Path b = agent.keygen("ed25519", "same", "b");
            agent.add(a);
            agent.add(b);
            List<SshKey> keys = new SshAgentClient(agent.socket()).identities();

            assertThatThrownBy(() -> SshAgentSigner.select(keys, "same"))
                    .isInstanceOf(SshAgentException.class)
                    .hasMessageContaining("matches 2 keys")
                    .hasMessageContaining(agent.fingerprint(a))
                    .hasMessageContaining(agent.fingerprint(b));
        }
    }

    @Test
    void select_noMatch_listsTheAgentsEd25519KeysOnly() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            Path ed = agent.keygen("ed25519", "mine", "ed");
            Path ec = agent.keygen("ecdsa", "ecdsa-key", "ec");
            agent.add(ed);
            agent.add(ec);
            List<SshKey> keys = new SshAgentClient(agent.socket()).identities();

            assertThatThrownBy(() -> SshAgentSigner.select(keys, "nobody"))
                    .hasMessageContaining("no key in the ssh-agent has the comment nobody")
                    .hasMessageContaining(agent.fingerprint(ed) + " mine")
                    .message().doesNotContain("ecdsa-key");
        }
    }

    @Test
    void select_ecdsaKey_isRefusedBecauseStatementsAreEd25519() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(agent.keygen("ecdsa", "ecdsa-key", "ec"));
            List<SshKey> keys = new SshAgentClient(agent.socket()).identities();

            assertThatThrownBy(() -> SshAgentSigner.select(keys, "ecdsa-key"))
                    .hasMessageContaining("ecdsa-sha2-nistp256 key")
                    .hasMessageContaining("only ssh-ed25519 keys can sign");
        }
    }

    @Test
    void sign_destinationConstrainedKey_isRefusedSayingItIsConstrained() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            Path key = agent.keygen("ed25519", "constrained", "c");
            Path hostKey = agent.keygen("ed25519", "host", "host");
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, "example.org " + agent.publicKeyLine(hostKey) + "\n");
            agent.add(key, "-H", knownHosts.toString(), "-h", "example.org");
            SshAgentClient client = new SshAgentClient(agent.socket());
            SshAgentSigner signer = SshAgentSigner.of(client, SshAgentSigner.select(client.identities(), "constrained"),
                    "alice");

            assertThatThrownBy(() -> signer.sign(MESSAGE))
                    .isInstanceOf(SigningException.class)
                    .hasMessageContaining("destination constraint (ssh-add -h)")
                    .hasMessageContaining("cannot sign for foureyes");
        }
    }

    @Test
    void fromEnvironment_noSshAuthSock_saysThereIsNoAgent() {
        assertThatThrownBy(() -> SshAgentClient.fromEnvironment(Map.<String, String>of()::get))
                .isInstanceOf(SshAgentException.class)
                .hasMessageContaining("SSH_AUTH_SOCK is not set");
    }

    @Test
    void select_fidoSkKey_isRefusedBecauseItsSignatureIsNotPlainEd25519() throws Exception {
        byte[] sk = new SshWire.Writer().string(SshKey.SK_ED25519).string(new byte[32]).string("ssh:").bytes();
        byte[] answer = new SshWire.Writer().u8(SshAgentClient.IDENTITIES_ANSWER).u32(1).string(sk)
                .string("yubikey").bytes();
        try (FakeAgent fake = new FakeAgent(dir.resolve("fake.sock"), answer)) {
            List<SshKey> keys = new SshAgentClient(fake.socket).identities();

            assertThat(keys).extracting(SshKey::type).containsExactly(SshKey.SK_ED25519);
            assertThatThrownBy(() -> SshAgentSigner.select(keys, "yubikey"))
                    .isInstanceOf(SshAgentException.class)
                    .hasMessageContaining("FIDO security-key")
                    .hasMessageContaining("not a plain Ed25519 signature");
        }
    }

    @Test
    void sign_agentAnswersAWrongSignature_isNotUsed() throws Exception {
        SignerKey real = SignerKey.fromSeed("alice", new byte[32]);
        SshKey key = new SshKey(new SshWire.Writer().string(SshKey.ED25519).string(real.verifierKey().publicKey())
                .bytes(), "k");
        byte[] otherSig = SignerKey.fromSeed("alice", filled(7)).sign(MESSAGE);
        byte[] answer = new SshWire.Writer().u8(SshAgentClient.SIGN_RESPONSE)
                .string(new SshWire.Writer().string(SshKey.ED25519).string(otherSig).bytes()).bytes();
        try (FakeAgent fake = new FakeAgent(dir.resolve("fake.sock"), answer)) {
            SshAgentSigner signer = SshAgentSigner.of(new SshAgentClient(fake.socket), key, "alice");

            assertThatThrownBy(() -> signer.sign(MESSAGE))
                    .isInstanceOf(SigningException.class)
                    .hasMessageContaining("does not verify");
        }
    }

    @Test
    void parsePublicKeyLine_typeDiffersFromBlob_isRefused() {
        String blob = java.util.Base64.getEncoder().encodeToString(
                new SshWire.Writer().string(SshKey.ED25519).string(new byte[32]).bytes());

        assertThatThrownBy(() -> SshKey.parsePublicKeyLine("ssh-rsa " + blob + " c"))
                .hasMessageContaining("the key inside is ssh-ed25519");
    }

    private static byte[] filled(int b) {
        byte[] x = new byte[32];
        java.util.Arrays.fill(x, (byte) b);
        return x;
    }

    /** Answers every request on a Unix socket with one fixed message (for what no local agent can hold). */
    private static final class FakeAgent implements AutoCloseable {
        final Path socket;
        private final ServerSocketChannel server;
        private final Thread thread;

        FakeAgent(Path socket, byte[] answer) throws Exception {
            this.socket = socket;
            this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            this.thread = new Thread(() -> {
                while (server.isOpen()) {
                    try (SocketChannel c = server.accept()) {
                        ByteBuffer len = ByteBuffer.allocate(4);
                        while (len.hasRemaining() && c.read(len) >= 0) {
                            // read the request length
                        }
                        ByteBuffer req = ByteBuffer.allocate(len.flip().getInt());
                        while (req.hasRemaining() && c.read(req) >= 0) {
                            // read the request
                        }
                        c.write(ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }
}
