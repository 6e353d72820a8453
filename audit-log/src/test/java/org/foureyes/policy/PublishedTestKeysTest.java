package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.VerifierKey;
import org.junit.jupiter.api.Test;

class PublishedTestKeysTest {
    /** Every directory of the repository with published test keys (the server's tests keep a copy). */
    private static final List<Path> KEY_DIRS = List.of(Path.of("src/test/resources/keys"),
            Path.of("../server/src/test/resources/keys"));

    private static List<VerifierKey> fromFiles() throws Exception {
        List<VerifierKey> all = new java.util.ArrayList<>();
        for (Path dir : KEY_DIRS) {
            all.addAll(fromFiles(dir));
        }
        return all.stream().distinct().toList();
    }

    private static List<VerifierKey> fromFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".test.key")).sorted().map(f -> {
                try {
                    return SignerKey.parse(Files.readString(f).strip()).verifierKey();
                } catch (Exception e) {
                    throw new IllegalStateException(f + ": " + e.getMessage(), e);
                }
            }).toList();
        }
    }

    @Test
    void keys_resourceList_equalsTheVerifierKeysOfEveryPublishedTestKeyFile() throws Exception {
        assertThat(PublishedTestKeys.keys()).containsExactlyInAnyOrderElementsOf(fromFiles());
    }

    @Test
    void principalsUsingThem_torExitPolicy_namesEveryPrincipal() throws Exception {
        Policy p = PolicyLoader.load(Path.of("../policies/tor-exit.yml"));

        assertThat(PublishedTestKeys.principalsUsingThem(p)).containsExactly("rene", "nora", "anna", "agent-relay",
                "agent-switch", "agent-monitor", "ines");
        assertThat(PublishedTestKeys.warning(p)).get().asString().contains("TEST KEYS", "rene, nora, anna");
    }

    @Test
    void principalsUsingThem_testKeyUnderAnotherName_isStillFound() throws Exception {
        VerifierKey rene = PublishedTestKeys.keys().get(0);
        VerifierKey renamed = VerifierKey.of("someone-else", rene.publicKey());

        assertThat(PublishedTestKeys.isPublished(renamed)).isTrue();
        assertThat(PublishedTestKeys.isPublished(SignerKey.generate("fresh").verifierKey())).isFalse();
    }
}
