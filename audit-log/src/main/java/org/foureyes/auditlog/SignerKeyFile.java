package org.foureyes.auditlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Reads and writes a {@link SignerKey} in a file of mode 0600, in plain text or encrypted with a
 * passphrase.
 *
 * <p>Plain: the line {@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>}. Encrypted (see
 * docs/keys-and-notes.md), four lines:
 *
 * <pre>
 * foureyes-encrypted-key/v1
 * scrypt &lt;log2 N&gt; &lt;r&gt; &lt;p&gt; &lt;base64 16-byte salt&gt;
 * aes-256-gcm &lt;base64 12-byte nonce&gt;
 * &lt;base64 ciphertext and 16-byte tag of the plain key line&gt;
 * </pre>
 *
 * The AES key is scrypt(passphrase as UTF-8, salt, N, r, p, 32 bytes); the first three lines,
 * with their newlines, are the GCM associated data, so no parameter can be changed unnoticed.
 *
 * <p>Security guarantee: a written file is never world- or group-readable at any moment, is
 * complete when it appears under its name, and never replaces an existing file; a read key came
 * from a file that only its owner can read, and (if encrypted) was encrypted under the passphrase.
 */
public final class SignerKeyFile {
    static final String MAGIC = "foureyes-encrypted-key/v1";
    static final int LOG_N = 15;
    static final int R = 8;
    static final int P = 1;
    private static final int MAX_FILE_SIZE = 64 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private SignerKeyFile() {
    }

    /**
     * Writes {@code key} to a new file at {@code path} with mode 0600, encrypted if
     * {@code passphrase} is not null. The file is first written and synced under a temporary name
     * in the same directory, then hard-linked to {@code path}, which fails if it exists.
     *
     * @throws FileAlreadyExistsException if {@code path} exists; it is left unchanged
     * @throws IllegalArgumentException if the passphrase is empty
     */
    public static void write(Path path, SignerKey key, char[] passphrase) throws IOException {
        byte[] content = passphrase == null
                ? (key.encode() + "\n").getBytes(StandardCharsets.UTF_8)
                : encrypt(key, passphrase);
        Path abs = path.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(content));
                ch.force(true);
            }
            try {
                Files.createLink(abs, tmp); // link(2) never replaces an existing file
            } catch (FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(abs.toString(), null,
                        "refusing to overwrite an existing key file");
            }
        } finally {
            Arrays.fill(content, (byte) 0);
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether the file is an encrypted key file (so that {@link #read} needs a passphrase). */
    public static boolean isEncrypted(Path path) throws IOException {
        byte[] head = new byte[MAGIC.length() + 1];
        try (java.io.InputStream in = Files.newInputStream(path)) {
            int n = in.readNBytes(head, 0, head.length);
            return n == head.length && new String(head, StandardCharsets.UTF_8).equals(MAGIC + "\n");
        }
    }

    /**
     * Reads a key file written by {@link #write} (or by hand, mode 0600).
     *
     * @param passphrase the passphrase of an encrypted file; null for a plain file
     * @throws KeyFileException if the file is group- or world-accessible, encrypted while no
     *     passphrase was given or plain while one was, the passphrase is wrong or the file
     *     corrupted, or the content is not a valid signer key
     */
    public static SignerKey read(Path path, char[] passphrase) throws IOException, KeyFileException {
        if (Files.isDirectory(path)) {
            throw new KeyFileException("key file " + path + " is a directory; give the private key file itself"
                    + " (one line PRIVATE+KEY+<name>+..., as foureyes keygen --out writes it)");
        }
        checkMode(path);
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_FILE_SIZE) {
                throw new KeyFileException("key file " + path + " is larger than " + MAX_FILE_SIZE
                        + " bytes, so it is not a key file; check the path");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("key file " + path + " does not exist; check the path", e);
        } catch (AccessDeniedException e) {
            throw new KeyFileException("key file " + path + " cannot be read by this user; run as its owner, or"
                    + " chown it to this user and chmod 600 it", e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        Arrays.fill(bytes, (byte) 0);
        if (text.isBlank()) {
            throw new KeyFileException("key file " + path + " is empty; restore it from a backup (a new key is a"
                    + " new identity: agents and auditors pin the old one)");
        }
        if (text.startsWith(MAGIC + "\n")) {
            if (passphrase == null) {
                throw new KeyFileException("key file " + path + " is encrypted: a passphrase is needed");
            }
            return decrypt(path, text, passphrase);
        }
        if (passphrase != null) {
            // Refuse rather than ignore: the user expects an encrypted file, so someone may have swapped it.
            throw new KeyFileException("key file " + path + " is not encrypted, but a passphrase was given");
        }
        return parseKey(path, text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }

    private static void checkMode(Path path) throws IOException, KeyFileException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(path);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("key file " + path + " does not exist; check the path", e);
        }
        // Checked before reading: root could read a 0000 file, and nobody else should be able to.
        if (!perms.contains(PosixFilePermission.OWNER_READ)) {
            throw new KeyFileException("key file " + path + " has mode " + octal(perms)
                    + ", so its owner cannot read it; run: chmod 600 " + path);
        }
        // Not EnumSet.copyOf(perms): it throws on an empty set (mode 0000).
        Set<PosixFilePermission> others = EnumSet.noneOf(PosixFilePermission.class);
        others.addAll(perms);
        others.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!others.isEmpty()) {
            String publicKey = publicKeyIn(path);
            if (publicKey != null) {
                throw notAPrivateKey(path, publicKey, null);
            }
            throw new KeyFileException("key file " + path + " has mode " + octal(perms)
                    + ", which lets group or others access it; run: chmod 600 " + path);
        }
    }

    private static KeyFileException notAPrivateKey(Path path, String publicKey, Exception cause) {
        return new KeyFileException("key file " + path + " holds " + publicKey + ", not a private key; give the"
                + " private key file (PRIVATE+KEY+<name>+..., as foureyes keygen --out writes it), or an ssh-agent"
                + " key as --key ssh:<fingerprint or comment>", cause);
    }

    /**
     * What public key a readable file holds ("a verifier key", "an SSH public key"), or null. Only
     * read for a file that others may read already, to replace "chmod 600" by the real mistake.
     */
    private static String publicKeyIn(Path path) {
        try {
            if (Files.size(path) > MAX_FILE_SIZE) {
                return null;
            }
            String first = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).strip().lines().findFirst()
                    .orElse("");
            if (first.matches("[^+\\s]+\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]+=*")) {
                return "a verifier key (the public half, for the policy)";
            }
            if (first.matches("(ssh-|sk-ssh-|ecdsa-sha2-)\\S+ [A-Za-z0-9+/]+=*( .*)?")) {
                return "an SSH public key";
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 = 0400 ... OTHERS_EXECUTE = 0001
        }
        return String.format("%04o", mode);
    }

    private static SignerKey parseKey(Path path, String line) throws KeyFileException {
        try {
            return SignerKey.parse(line);
        } catch (KeyFormatException e) {
            String publicKey = publicKeyIn(path);
            if (publicKey != null) {
                throw notAPrivateKey(path, publicKey, e);
            }
            throw new KeyFileException("key file " + path + " does not hold a signer key (" + e.getMessage()
                    + "); restore it from a backup", e);
        }
    }

    private static byte[] encrypt(SignerKey key, char[] passphrase) {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        String header = MAGIC + "\n" + "scrypt " + LOG_N + " " + R + " " + P + " " + Encoding.base64(salt) + "\n"
                + "aes-256-gcm " + Encoding.base64(nonce) + "\n";
        byte[] plain = key.encode().getBytes(StandardCharsets.UTF_8);
        byte[] aesKey = deriveKey(passphrase, salt, LOG_N, R, P);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(header.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return (header + Encoding.base64(sealed) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required by every Java platform", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(aesKey, (byte) 0);
        }
    }

    private static SignerKey decrypt(Path path, String text, char[] passphrase) throws KeyFileException {
        String[] lines = text.split("\n", -1);
        // Four lines, each newline-terminated, so split yields a final empty string.
        if (lines.length != 5 || !lines[4].isEmpty()) {
            throw corrupt(path, "expected 4 lines");
        }
        String[] kdf = lines[1].split(" ", -1);
        String[] aead = lines[2].split(" ", -1);
        if (kdf.length != 5 || !kdf[0].equals("scrypt") || aead.length != 2 || !aead[0].equals("aes-256-gcm")) {
            throw corrupt(path, "unknown key derivation or cipher line");
        }
        int logN;
        int r;
        int p;
        try {
            logN = Integer.parseInt(kdf[1]);
            r = Integer.parseInt(kdf[2]);
            p = Integer.parseInt(kdf[3]);
        } catch (NumberFormatException e) {
            throw corrupt(path, "bad scrypt parameters");
        }
        // Bounds keep a crafted file from making us allocate gigabytes (memory is 128 * r * N bytes).
        if (logN < 14 || logN > 20 || r != R || p != P) {
            throw corrupt(path, "unsupported scrypt parameters log2(N)=" + kdf[1] + " r=" + kdf[2] + " p=" + kdf[3]
                    + " (supported: log2(N) 14..20, r=8, p=1)");
        }
        byte[] salt = Encoding.decodeBase64(kdf[4]);
        byte[] nonce = Encoding.decodeBase64(aead[1]);
        byte[] sealed = Encoding.decodeBase64(lines[3]);
        if (salt == null || salt.length < 16 || nonce == null || nonce.length != 12 || sealed == null
                || sealed.length < 16) {
            throw corrupt(path, "bad salt, nonce or ciphertext");
        }
        String header = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n";
        byte[] aesKey = deriveKey(passphrase, salt, logN, r, p);
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(header.getBytes(StandardCharsets.UTF_8));
            plain = c.doFinal(sealed);
            return parseKey(path, new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            throw new KeyFileException("wrong passphrase or corrupted key file " + path);
        } catch (KeyFileException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required by every Java platform", e);
        } finally {
            Arrays.fill(aesKey, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static KeyFileException corrupt(Path path, String why) {
        return new KeyFileException("corrupted encrypted key file " + path + ": " + why);
    }

    private static byte[] deriveKey(char[] passphrase, byte[] salt, int logN, int r, int p) {
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("empty passphrase");
        }
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] pw = new byte[encoded.remaining()];
        encoded.get(pw);
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            return SCrypt.generate(pw, salt, 1 << logN, r, p, 32);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
