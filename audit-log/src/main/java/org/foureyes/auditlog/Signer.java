package org.foureyes.auditlog;

/**
 * Something that makes plain Ed25519 signatures (RFC 8032) for one named key: a {@link SignerKey}
 * held in memory, or a key held by an ssh-agent ({@code org.foureyes.auditlog.ssh.SshAgentSigner}).
 * Statements are signed through this interface, so the JWS bytes do not depend on where the key is.
 */
public interface Signer {
    /** The public key, named after the principal (or log origin) that signs. */
    VerifierKey verifierKey();

    /** The principal's name: the name of {@link #verifierKey()}. */
    default String name() {
        return verifierKey().name();
    }

    /**
     * Returns the 64-byte Ed25519 signature of {@code message}, valid under {@link #verifierKey()}.
     *
     * @throws SigningException if a key held elsewhere cannot sign (agent gone, refused, wrong answer)
     */
    byte[] sign(byte[] message);
}
