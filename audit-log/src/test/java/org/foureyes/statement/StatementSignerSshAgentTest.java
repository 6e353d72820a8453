package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.statement.Fixture.AUDIENCE;
import static org.foureyes.statement.Fixture.NOW;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.ssh.SshAgentClient;
import org.foureyes.auditlog.ssh.SshAgentSigner;
import org.foureyes.auditlog.ssh.SshKey;
import org.foureyes.testing.SshAgentProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements signed through a real ssh-agent verify with the normal verifier and equal a key file's. */
class StatementSignerSshAgentTest {
    private static final String HASH = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    @Test
    void sign_agentEd25519Key_verifiesWithStatementVerifier() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            Path key = agent.keygen("ed25519", "alice@laptop", "id_ed25519");
            agent.add(key);
            SshAgentClient client = new SshAgentClient(agent.socket());
            SshKey ssh = SshAgentSigner.select(client.identities(), "alice@laptop");
            SshAgentSigner signer = SshAgentSigner.of(client, ssh, "alice");
            StatementSigner statements = StatementSigner.of(signer, Clock.fixed(NOW, ZoneOffset.UTC));

            String compact = statements.sign(AUDIENCE, DecisionClaims.approve(9, HASH));

            Statement s = new StatementVerifier().verify(compact, Fixture.policy(signer.verifierKey()), AUDIENCE, NOW,
                    VerifyMode.online(StatementType.DECISION));
            assertThat(s.issuer()).isEqualTo("alice");
            assertThat(new String(Base64.getUrlDecoder().decode(compact.split("\\.")[0])))
                    .isEqualTo("{\"kid\":\"" + statements.keyId() + "\",\"alg\":\"EdDSA\"}");
        }
    }

    @Test
    void sign_sameKeyInAgentAndInMemory_giveIdenticalStatements() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            Path key = agent.keygen("ed25519", "alice@laptop", "id_ed25519");
            agent.add(key);
            SshAgentClient client = new SshAgentClient(agent.socket());
            SshAgentSigner viaAgent = SshAgentSigner.of(client,
                    SshAgentSigner.select(client.identities(), agent.fingerprint(key)), "alice");
            SignerKey inMemory = SignerKey.fromSeed("alice", OpenSshPrivateKey.seed(Files.readString(key)));

            String a = StatementSigner.of(viaAgent).sign(AUDIENCE, AccessClaims.INSTANCE, NOW, Duration.ofMinutes(5), "j1");
            String b = StatementSigner.of(inMemory).sign(AUDIENCE, AccessClaims.INSTANCE, NOW, Duration.ofMinutes(5), "j1");

            assertThat(a).isEqualTo(b);
        }
    }

    /** The seed of an unencrypted OpenSSH ed25519 private key file (PROTOCOL.key), for the comparison above. */
    private static final class OpenSshPrivateKey {
        static byte[] seed(String pem) {
            String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Base64.getDecoder().decode(b64));
            b.position("openssh-key-v1\0".length());
            skip(b); // cipher "none"
            skip(b); // kdf "none"
            skip(b); // kdf options
            b.getInt(); // number of keys: 1
            skip(b); // public key blob
            b.getInt(); // length of the private section
            b.getInt(); // check1
            b.getInt(); // check2
            skip(b); // "ssh-ed25519"
            skip(b); // public key
            byte[] priv = new byte[b.getInt()]; // seed || public key
            b.get(priv);
            return java.util.Arrays.copyOf(priv, 32);
        }

        private static void skip(java.nio.ByteBuffer b) {
            int n = b.getInt();
            b.position(b.position() + n);
        }
    }
}
