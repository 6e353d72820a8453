package org.foureyes.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.VerifierKey;

/**
 * The test keys whose private halves are published in the foureyes repository (the keys of
 * policies/tor-exit.yml), so that a policy listing one is never trusted silently: {@code policy
 * check} and the server at start warn, naming the principals. Keys are compared by their raw
 * Ed25519 public key, so renaming a principal does not hide a published key.
 */
public final class PublishedTestKeys {
    static final String RESOURCE = "published-test-keys.txt";
    private static final List<VerifierKey> KEYS = load();

    private PublishedTestKeys() {
    }

    /** The published keys, as listed in the resource. */
    public static List<VerifierKey> keys() {
        return KEYS;
    }

    /** The principals of {@code policy} (in policy order) that list a key whose private half is published. */
    public static List<String> principalsUsingThem(Policy policy) {
        List<String> names = new ArrayList<>();
        for (Principal p : policy.principals().values()) {
            if (p.keys().stream().anyMatch(PublishedTestKeys::isPublished)) {
                names.add(p.name());
            }
        }
        return names;
    }

    /** A one-line warning naming those principals, if there are any. */
    public static Optional<String> warning(Policy policy) {
        List<String> names = principalsUsingThem(policy);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("WARNING: policy " + policy.name() + " lists TEST KEYS whose private halves are published"
                + " in the foureyes repository, so anyone can sign as " + String.join(", ", names)
                + ". Replace these keys (foureyes keygen) before trusting this policy with anything real.");
    }

    static boolean isPublished(VerifierKey key) {
        byte[] raw = key.publicKey();
        return KEYS.stream().anyMatch(k -> Arrays.equals(k.publicKey(), raw));
    }

    private static List<VerifierKey> load() {
        try (InputStream in = PublishedTestKeys.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            }
            List<VerifierKey> keys = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    keys.add(VerifierKey.parse(l));
                }
            }
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (KeyFormatException e) {
            throw new IllegalStateException("resource " + RESOURCE + " holds a malformed key: " + e.getMessage(), e);
        }
    }
}
