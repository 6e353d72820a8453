package org.foureyes.server.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.ssh.SshAgentException;
import org.foureyes.auditlog.ssh.SshKey;

/**
 * {@code foureyes keygen NAME [--out FILE] [--passphrase-env VAR | --passphrase-prompt]}: generates
 * an Ed25519 signer key named NAME, writes it to a new file of mode 0600 (never overwriting one),
 * optionally encrypted with a passphrase, and prints the verifier key to publish or put in the
 * policy. For the log key, NAME is the log origin.
 *
 * <p>{@code foureyes keygen --from-ssh FILE.pub NAME} writes nothing: it prints the verifier key of
 * an existing {@code ssh-ed25519} public key, for a principal who signs through ssh-agent
 * ({@code --key ssh:...}). The key id is computed per C2SP signed-note from NAME and the raw 32-byte key.
 */
public class KeygenCommand extends Command {
    private final Function<String, String> env;
    private final PrintStream out;

    public KeygenCommand() {
        this(System::getenv, System.out);
    }

    /** For tests: the environment to read passphrases from, and where to print. */
    public KeygenCommand(Function<String, String> env, PrintStream out) {
        super("keygen", "Generate an Ed25519 signing key (file of mode 0600) and print its verifier key");
        this.env = env;
        this.out = out;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.help(getDescription()); // the one line "--help" shows for this command
        subparser.addArgument("name")
                .metavar("NAME")
                .help("key name: a principal's name, or the log origin for the log key");
        subparser.addArgument("--out")
                .dest("out")
                .metavar("FILE")
                .help("where to write the private key (default: NAME.key, with characters other than"
                        + " letters, digits, '.', '_' and '-' replaced by '_'); never overwritten");
        subparser.addArgument("--passphrase-env")
                .dest("passphraseEnv")
                .metavar("VAR")
                .help("encrypt the key with the passphrase in environment variable VAR");
        subparser.addArgument("--from-ssh")
                .dest("fromSsh")
                .metavar("FILE.pub")
                .help("print the verifier key of an existing ssh-ed25519 public key (for signing through"
                        + " ssh-agent with --key ssh:...) instead of generating a key; writes nothing");
        subparser.addArgument("--passphrase-prompt")
                .dest("passphrasePrompt")
                .action(net.sourceforge.argparse4j.impl.Arguments.storeTrue())
                .help("encrypt the key with a passphrase typed at the terminal (asked twice)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        String name = namespace.getString("name");
        if (namespace.getString("fromSsh") != null) {
            fromSsh(Path.of(namespace.getString("fromSsh")), name, namespace);
            return;
        }
        String outArg = namespace.getString("out");
        Path file = Path.of(outArg != null ? outArg : defaultFileName(name));
        String passphraseEnv = namespace.getString("passphraseEnv");
        boolean prompt = Boolean.TRUE.equals(namespace.getBoolean("passphrasePrompt"));
        if (passphraseEnv != null && prompt) {
            throw new IllegalArgumentException("give either --passphrase-env or --passphrase-prompt, not both");
        }
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "refusing to overwrite an existing key file; choose another --out or move it away");
        }
        char[] passphrase = passphraseEnv != null ? fromEnv(passphraseEnv) : prompt ? fromConsole() : null;
        SignerKey key;
        try {
            key = SignerKey.generate(name);
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException("invalid key name \"" + name + "\": " + e.getMessage(), e);
        }
        try {
            SignerKeyFile.write(file, key, passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
        out.println(key.verifierKey());
        System.err.println("wrote private key " + file.toAbsolutePath() + " (mode 0600"
                + (passphrase != null ? ", encrypted" : "") + "); the line above is its verifier key");
    }

    private void fromSsh(Path pub, String name, Namespace namespace) throws Exception {
        if (namespace.getString("out") != null || namespace.getString("passphraseEnv") != null
                || Boolean.TRUE.equals(namespace.getBoolean("passphrasePrompt"))) {
            throw new IllegalArgumentException("--from-ssh writes no key file: leave out --out and the passphrase"
                    + " options (the private key stays with ssh-agent)");
        }
        String text = Files.readString(pub);
        if (text.startsWith("-----BEGIN")) {
            throw new IllegalArgumentException(pub + " is a private key; give the public key file (" + pub
                    + ".pub)");
        }
        SshKey ssh;
        byte[] raw;
        try {
            ssh = SshKey.parsePublicKeyLine(text.lines().findFirst().orElse(""));
            raw = ssh.ed25519PublicKey();
        } catch (SshAgentException e) {
            throw new IllegalArgumentException(pub + ": " + e.getMessage(), e);
        }
        VerifierKey key;
        try {
            key = VerifierKey.of(name, raw);
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException("invalid key name \"" + name + "\": " + e.getMessage(), e);
        }
        out.println(key);
        System.err.println("the line above is the verifier key of ssh key " + ssh.fingerprint() + " for " + name
                + "; sign with --key ssh:" + ssh.fingerprint());
    }

    private char[] fromEnv(String var) {
        String value = env.apply(var);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + var + " is unset or empty;"
                    + " set it to the passphrase, or drop --passphrase-env for a plain key file");
        }
        return value.toCharArray();
    }

    private static char[] fromConsole() {
        Console console = System.console();
        if (console == null) {
            throw new IllegalStateException("no terminal to ask for a passphrase; use --passphrase-env VAR");
        }
        char[] first = console.readPassword("passphrase: ");
        char[] second = console.readPassword("passphrase again: ");
        try {
            if (first == null || first.length == 0) {
                throw new IllegalArgumentException("empty passphrase; leave out --passphrase-prompt for a plain key file");
            }
            if (!Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the passphrases differ; nothing was written");
            }
            return first.clone();
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    static String defaultFileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + ".key";
    }

    /** Prints the reason only: these errors are the user's to fix, a stack trace would hide that. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("keygen: " + InputFiles.message(e));
    }
}
