package org.foureyes.auditlog.ssh;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.Signer;
import org.foureyes.auditlog.SigningException;
import org.foureyes.auditlog.VerifierKey;

/**
 * A {@link Signer} whose Ed25519 key stays in an ssh-agent (possibly on hardware the agent fronts).
 * The agent's signature over the JWS signing input is a plain Ed25519 signature (RFC 8032), so the
 * statement is exactly what a key file would make. Every signature the agent returns is checked
 * against the public key before it is used.
 */
public final class SshAgentSigner implements Signer {
    private final SshAgentClient agent;
    private final SshKey key;
    private final VerifierKey verifierKey;

    private SshAgentSigner(SshAgentClient agent, SshKey key, VerifierKey verifierKey) {
        this.agent = agent;
        this.key = key;
        this.verifierKey = verifierKey;
    }

    /**
     * Signs with {@code key} of {@code agent} under the principal name {@code name}.
     *
     * @throws SshAgentException if the key is not a plain ssh-ed25519 key (the message says why)
     * @throws KeyFormatException if the name is not a valid key name
     */
    public static SshAgentSigner of(SshAgentClient agent, SshKey key, String name)
            throws SshAgentException, KeyFormatException {
        return new SshAgentSigner(Objects.requireNonNull(agent, "agent"), key,
                VerifierKey.of(name, key.ed25519PublicKey()));
    }

    /**
     * The one key of the agent that {@code selector} names: a fingerprint {@code SHA256:...} as
     * {@code ssh-add -l} prints it, or else the key's comment (exact).
     *
     * @throws SshAgentException if no key or several keys match, or the key matched cannot sign for
     *     foureyes; the message lists the agent's keys
     */
    public static SshKey select(List<SshKey> keys, String selector) throws SshAgentException {
        boolean byFingerprint = selector.startsWith("SHA256:");
        List<SshKey> hits = keys.stream()
                .filter(k -> byFingerprint ? k.fingerprint().equals(selector) : k.comment().equals(selector))
                .distinct()
                .toList();
        if (hits.size() > 1) {
            throw new SshAgentException("ssh:" + selector + " matches " + hits.size() + " keys in the ssh-agent;"
                    + " name one by its fingerprint. " + listing(keys));
        }
        if (hits.isEmpty()) {
            throw new SshAgentException("no key in the ssh-agent has the " + (byFingerprint ? "fingerprint " : "comment ")
                    + selector + ". " + listing(keys));
        }
        SshKey k = hits.get(0);
        if (k.unusableReason().isPresent()) {
            throw new SshAgentException("ssh key " + k.describe() + " cannot sign for foureyes: "
                    + k.unusableReason().get());
        }
        return k;
    }

    /** The agent's usable keys, for an error message. */
    static String listing(List<SshKey> keys) {
        List<SshKey> usable = keys.stream().filter(k -> k.unusableReason().isEmpty()).toList();
        if (usable.isEmpty()) {
            return "The ssh-agent holds no ssh-ed25519 key" + (keys.isEmpty() ? " (it holds no key at all)" : "")
                    + "; add one with ssh-add.";
        }
        return "The ssh-agent's ssh-ed25519 keys: "
                + usable.stream().map(SshKey::describe).collect(Collectors.joining("; ")) + ".";
    }

    public SshKey sshKey() {
        return key;
    }

    @Override
    public VerifierKey verifierKey() {
        return verifierKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        byte[] blob;
        try {
            blob = agent.sign(key, message);
        } catch (SshAgentException e) {
            throw new SigningException(e.getMessage(), e);
        }
        byte[] sig;
        try {
            SshWire.Reader r = new SshWire.Reader(blob);
            String type = r.utf8();
            sig = r.string();
            if (!SshKey.ED25519.equals(type) || sig.length != 64 || !r.atEnd()) {
                throw new SigningException("the ssh-agent answered with a " + type + " signature of " + sig.length
                        + " bytes, not a plain ssh-ed25519 signature");
            }
        } catch (SshAgentException e) {
            throw new SigningException("malformed signature from the ssh-agent", e);
        }
        if (!verifierKey.isValid(message, sig)) {
            throw new SigningException("the ssh-agent's signature does not verify under " + key.describe()
                    + "; not used");
        }
        return sig;
    }

    @Override
    public String toString() {
        return "SshAgentSigner[" + verifierKey.name() + "+" + verifierKey.keyIdHex() + ", " + key.fingerprint() + "]";
    }
}
