package org.foureyes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyLoader;

/**
 * The real tor-exit policy and its test keys, shared by the test harnesses that build logs
 * (ledger, verifier, agent). Tests run with the module directory as working directory.
 */
public final class TorExitFixtures {
    public static final Path TOR_EXIT = Path.of("../policies/tor-exit.yml");
    /** Example configurations that tor-exit.yml accepts, as operators find them in ops/examples. */
    public static final Path EXAMPLES = Path.of("../ops/examples");

    private static final Map<String, SignerKey> KEYS = new HashMap<>();

    private TorExitFixtures() {}

    /** policies/tor-exit.yml, loaded with the full validation and analysis. */
    public static Policy torExitPolicy() {
        try {
            return PolicyLoader.load(TOR_EXIT);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deterministic key: every seed byte is {@code fill}. */
    public static SignerKey seeded(String name, int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        try {
            return SignerKey.fromSeed(name, seed);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes {@link #key} return {@code k} for its name (a principal a test adds to the policy). */
    public static synchronized void register(SignerKey k) {
        KEYS.put(k.name(), k);
    }

    /** The test private key {@code src/test/resources/keys/<name>.test.key}, read once, or a registered one. */
    public static synchronized SignerKey key(String name) {
        return KEYS.computeIfAbsent(name, n -> {
            try {
                return SignerKey.parse(Files.readString(Path.of("src/test/resources/keys/" + n + ".test.key")).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The example configuration of {@code component} (relay, switch or monitor), as its file's text. */
    public static String example(String component) {
        try {
            return Files.readString(EXAMPLES.resolve(component + ".json")).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
