package org.foureyes.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.foureyes.auditlog.KeyFileException;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.Signer;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.ssh.SshAgentClient;
import org.foureyes.auditlog.ssh.SshAgentException;
import org.foureyes.auditlog.ssh.SshAgentSigner;
import org.foureyes.auditlog.ssh.SshKey;
import org.foureyes.policy.Policy;
import org.foureyes.policy.Principal;

/**
 * The operator's signing key from {@code --key}: a key file ({@code --key FILE}, optionally
 * encrypted), or an Ed25519 key in the ssh-agent at {@code SSH_AUTH_SOCK} ({@code --key
 * ssh:<fingerprint or comment>}). An agent key carries no principal name: it is {@code --name}, or
 * else the one principal that the policy in force lists with that public key. Taking the name from
 * the server is safe: a statement verifies only if the policy lists this key under its issuer.
 */
final class SigningKeys {
    static final String SSH_PREFIX = "ssh:";

    private SigningKeys() {
    }

    /**
     * @param name the principal for an agent key, or null to look it up in {@code policy}
     * @param policy the policy in force (fetched only for an agent key without {@code name})
     */
    static Signer load(String keyArg, String name, String passphraseVar, Function<String, String> env,
            Callable<Policy> policy) throws Exception {
        if (keyArg.startsWith(SSH_PREFIX)) {
            return fromAgent(keyArg.substring(SSH_PREFIX.length()), name, env, policy);
        }
        if (name != null) {
            throw new IllegalArgumentException("--name is for --key ssh:...; a key file names its principal itself");
        }
        String pass = passphraseVar == null ? null : env.apply(passphraseVar);
        Path file = Path.of(keyArg);
        boolean given = pass != null && !pass.isEmpty();
        if (!given && Files.isRegularFile(file) && SignerKeyFile.isEncrypted(file)) {
            throw new KeyFileException("key file " + file + " is encrypted: put its passphrase in the environment"
                    + " variable " + passphraseVar + ", or name another variable with --passphrase-env");
        }
        return SignerKeyFile.read(file, given ? pass.toCharArray() : null);
    }

    private static Signer fromAgent(String selector, String name, Function<String, String> env,
            Callable<Policy> policy) throws Exception {
        if (selector.isEmpty()) {
            throw new SshAgentException("--key ssh: needs the key's fingerprint (SHA256:..., as ssh-add -l prints it)"
                    + " or its comment, e.g. --key ssh:SHA256:...");
        }
        SshAgentClient agent = SshAgentClient.fromEnvironment(env);
        SshKey key = SshAgentSigner.select(agent.identities(), selector);
        String principal = name != null ? name : principalOf(key, policy.call());
        try {
            return SshAgentSigner.of(agent, key, principal);
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException("--name " + principal + ": " + e.getMessage(), e);
        }
    }

    /** The one principal whose keys in {@code policy} include the agent key's public key. */
    static String principalOf(SshKey key, Policy policy) throws SshAgentException {
        byte[] raw = key.ed25519PublicKey();
        List<String> names = policy.principals().values().stream()
                .filter(p -> p.keys().stream().map(VerifierKey::publicKey).anyMatch(k -> Arrays.equals(k, raw)))
                .map(Principal::name)
                .toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        if (names.isEmpty()) {
            throw new SshAgentException("the policy in force lists no principal with the ssh key " + key.describe()
                    + "; put the line that foureyes keygen --from-ssh prints for it in the policy, or give the"
                    + " principal with --name");
        }
        throw new SshAgentException("the policy in force lists the ssh key " + key.describe() + " for "
                + String.join(", ", names) + "; say which one you sign as with --name");
    }
}
