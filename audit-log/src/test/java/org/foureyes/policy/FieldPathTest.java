package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FieldPathTest {

    @Test
    void parse_dottedAndPointerForms_sameSegments() {
        assertThat(FieldPath.parse("mirror.enabled")).contains(new FieldPath(List.of("mirror", "enabled")));
        assertThat(FieldPath.parse("/mirror/enabled")).contains(new FieldPath(List.of("mirror", "enabled")));
    }

    @Test
    void parse_pointerWithEscapes_decodesPerRfc6901() {
        assertThat(FieldPath.parse("/a~1b/c~0d/e.f").orElseThrow().segments()).containsExactly("a/b", "c~d", "e.f");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mirror..enabled", ".a", "a.", "a b", "/", "/a//b", "/a/", "/a~2", "/a~"})
    void parse_malformed_empty(String text) {
        assertThat(FieldPath.parse(text)).isEmpty();
    }

    @Test
    void toString_plainNamesDotted_otherwisePointer() {
        assertThat(new FieldPath(List.of("capture", "enabled"))).hasToString("capture.enabled");
        assertThat(new FieldPath(List.of("mirror.enabled"))).hasToString("/mirror.enabled");
        assertThat(new FieldPath(List.of("a/b", "c"))).hasToString("/a~1b/c");
    }

    @Test
    void literalDottedName_notEqualToNestedPath() {
        assertThat(new FieldPath(List.of("mirror.enabled"))).isNotEqualTo(FieldPath.parse("mirror.enabled").orElseThrow());
    }

    @Test
    void isStrictPrefixOf_segmentwiseNotTextual() {
        FieldPath ab = FieldPath.parse("a.b").orElseThrow();

        assertThat(FieldPath.parse("a").orElseThrow().isStrictPrefixOf(ab)).isTrue();
        assertThat(new FieldPath(List.of("a.b")).isStrictPrefixOf(FieldPath.parse("a.b.c").orElseThrow())).isFalse();
        assertThat(ab.isStrictPrefixOf(ab)).isFalse();
    }
}
