package org.foureyes.witness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.foureyes.auditlog.KeyFileException;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;

/** {@code foureyes-verify witness --config witness.yml}: runs the witness until the process is stopped. */
public final class WitnessMain {

    private WitnessMain() {
    }

    /** Opens the witness from its configuration (key, state) without serving it. */
    public static Witness open(WitnessConfig c) throws IOException {
        char[] pass = null;
        if (c.passphraseEnv() != null) {
            String v = System.getenv(c.passphraseEnv());
            if (v == null) {
                throw new IOException("key_passphrase_env " + c.passphraseEnv() + " is not set");
            }
            pass = v.toCharArray();
        }
        SignerKey key;
        try {
            key = SignerKeyFile.read(c.keyFile(), pass);
        } catch (KeyFileException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new Witness(key, c.logs(), WitnessState.load(c.stateFile()), Clock.systemUTC());
    }

    /** Runs the subcommand; returns an exit code (2 for usage and configuration errors). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String config = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = args[++i];
            } else if (args[i].startsWith("--config=")) {
                config = args[i].substring(9);
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.println("usage: foureyes-verify witness --config <witness.yml>  (see docs/witness.md)");
                return 0;
            } else {
                err.println("foureyes-verify: witness: unexpected argument " + Witness.printable(args[i])
                        + "; usage: witness --config <witness.yml>");
                return 2;
            }
        }
        if (config == null) {
            err.println("foureyes-verify: witness: --config is required");
            return 2;
        }
        WitnessServer server;
        try {
            WitnessConfig c = WitnessConfig.load(Path.of(config));
            Witness w = open(c);
            server = WitnessServer.start(w, c.listen());
            out.println("witness " + w.witnessKey() + " listening on " + server.url() + "/add-checkpoint");
            for (VerifierKey k : c.logs()) {
                out.println("  log " + k.name() + " (" + k.keyIdHex() + "), cosigned size " + w.size(k.name()));
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            err.println("foureyes-verify: witness: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }, "witness-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
