package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in policies/malformed/ is refused with exactly the message in expectations.tsv
 * ({@code file:line: field: detail}).
 */
class MalformedPolicyTest {
    static final Path DIR = Path.of("src/test/resources/policies/malformed");

    static Stream<Arguments> expectations() throws IOException {
        return Files.readAllLines(DIR.resolve("expectations.tsv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t", 2))
                .map(p -> Arguments.of(p[0], p[1].replace("\\n", "\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void load_malformedFile_isRefusedWithExactMessage(String file, String message) {
        assertThatThrownBy(() -> PolicyLoader.load(DIR.resolve(file)))
                .isInstanceOf(PolicyException.class)
                .hasMessage(message)
                .satisfies(e -> {
                    PolicyException pe = (PolicyException) e;
                    assertThat(pe.file()).isEqualTo(file);
                    assertThat(message).startsWith(file + ":" + pe.line() + ": ");
                    assertThat(pe.line()).isPositive();
                });
    }

    @Test
    void expectations_coverEveryMalformedFile_atLeastThirty() throws IOException {
        Set<String> listed = expectations().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        List<String> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void load_validSmallBase_loads() throws Exception {
        Policy p = PolicyLoader.load(Path.of("src/test/resources/policies/valid-small.yml"));
        assertThat(p.components()).containsOnlyKeys("relay", "switch", "monitor", "policy");
    }
}
