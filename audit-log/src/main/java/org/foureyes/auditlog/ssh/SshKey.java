package org.foureyes.auditlog.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * An SSH public key as the agent lists it: the wire blob and its comment. Only {@code ssh-ed25519}
 * keys can sign for foureyes; {@link #unusableReason()} says why any other one cannot.
 */
public record SshKey(byte[] blob, String comment) {
    public static final String ED25519 = "ssh-ed25519";
    public static final String SK_ED25519 = "sk-ssh-ed25519@openssh.com";

    public SshKey {
        blob = blob.clone();
        comment = comment == null ? "" : comment;
    }

    @Override
    public byte[] blob() {
        return blob.clone();
    }

    /** The key type name at the start of the blob, or "?" if the blob is malformed. */
    public String type() {
        try {
            return new SshWire.Reader(blob).utf8();
        } catch (SshAgentException e) {
            return "?";
        }
    }

    /** {@code SHA256:<base64 of SHA-256(blob), no padding>}, as {@code ssh-keygen -l} and {@code ssh-add -l} print. */
    public String fingerprint() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * The raw 32-byte Ed25519 public key of a well-formed {@code ssh-ed25519} blob (a type string and
     * one 32-byte string, nothing more).
     *
     * @throws SshAgentException if this is not such a key; the message says why
     */
    public byte[] ed25519PublicKey() throws SshAgentException {
        Optional<String> why = unusableReason();
        if (why.isPresent()) {
            throw new SshAgentException("ssh key " + describe() + " cannot sign for foureyes: " + why.get());
        }
        try {
            SshWire.Reader r = new SshWire.Reader(blob);
            r.string();
            return r.string();
        } catch (SshAgentException e) {
            throw new IllegalStateException(e); // checked by unusableReason
        }
    }

    /** Why this key cannot make a plain Ed25519 signature of the JWS signing input, if it cannot. */
    public Optional<String> unusableReason() {
        String type = type();
        if (SK_ED25519.equals(type)) {
            return Optional.of("it is a FIDO security-key (" + SK_ED25519 + ") key, whose signature covers the"
                    + " relying-party hash, flags and counter rather than the data itself, so it is not a plain"
                    + " Ed25519 signature of a statement; use an ssh-ed25519 key");
        }
        if (!ED25519.equals(type)) {
            return Optional.of("it is a " + type + " key; foureyes statements are Ed25519 (EdDSA) signatures,"
                    + " so only ssh-ed25519 keys can sign them");
        }
        try {
            SshWire.Reader r = new SshWire.Reader(blob);
            r.string();
            byte[] pk = r.string();
            if (pk.length != 32 || !r.atEnd()) {
                return Optional.of("its ssh-ed25519 key blob is malformed");
            }
        } catch (SshAgentException e) {
            return Optional.of("its ssh-ed25519 key blob is malformed");
        }
        return Optional.empty();
    }

    /** {@code <fingerprint> <comment> (<type>)}, for messages. */
    public String describe() {
        return fingerprint() + (comment.isEmpty() ? "" : " " + comment) + " (" + type() + ")";
    }

    /**
     * Parses one line of an OpenSSH {@code .pub} file: {@code <type> <base64 blob> [comment]}.
     *
     * @throws SshAgentException if the line is not of that form or its type differs from the blob's
     */
    public static SshKey parsePublicKeyLine(String line) throws SshAgentException {
        String[] parts = line.strip().split("\\s+", 3);
        if (parts.length < 2) {
            throw new SshAgentException("not an OpenSSH public key line (expected \"<type> <base64> [comment]\")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1].getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new SshAgentException("not an OpenSSH public key line: the key is not base64");
        }
        SshKey key = new SshKey(blob, parts.length == 3 ? parts[2] : "");
        if (!key.type().equals(parts[0])) {
            throw new SshAgentException("not an OpenSSH public key line: it says " + parts[0]
                    + " but the key inside is " + key.type());
        }
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshKey k && java.util.Arrays.equals(blob, k.blob) && comment.equals(k.comment);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return "SshKey[" + describe() + "]";
    }
}
