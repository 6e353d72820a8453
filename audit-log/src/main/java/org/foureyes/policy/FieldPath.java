package org.foureyes.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A field of a configuration as the list of member names leading to it, so that a literal member
 * named {@code "mirror.enabled"} is never the field {@code mirror} → {@code enabled}.
 *
 * <p>Policy syntax: dot-separated names of letters, digits, {@code -} and {@code _}
 * ({@code capture.enabled}), or a JSON Pointer (RFC 6901) for any other name
 * ({@code /mirror.v2/enabled}, with {@code ~1} for {@code /} and {@code ~0} for {@code ~}).
 *
 * @param segments the member names, outermost first; never empty
 */
public record FieldPath(List<String> segments) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

    public FieldPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a field path names at least one member");
        }
    }

    /** Parses the policy syntax; empty if malformed. */
    public static Optional<FieldPath> parse(String text) {
        List<String> segs = new ArrayList<>();
        if (text.startsWith("/")) {
            for (String raw : text.substring(1).split("/", -1)) {
                if (raw.isEmpty() || raw.replace("~0", "").replace("~1", "").contains("~")) {
                    return Optional.empty();
                }
                segs.add(raw.replace("~1", "/").replace("~0", "~"));
            }
        } else {
            for (String seg : text.split("\\.", -1)) {
                if (!PLAIN.matcher(seg).matches()) {
                    return Optional.empty();
                }
                segs.add(seg);
            }
        }
        return Optional.of(new FieldPath(segs));
    }

    /** This path followed by one more member name. */
    public FieldPath child(String name) {
        List<String> s = new ArrayList<>(segments);
        s.add(name);
        return new FieldPath(s);
    }

    /** Whether {@code other} lies strictly inside this path's field. */
    public boolean isStrictPrefixOf(FieldPath other) {
        return other.segments.size() > segments.size() && other.segments.subList(0, segments.size()).equals(segments);
    }

    /** The strict prefixes, outermost first ({@code a}, {@code a.b} for {@code a.b.c}). */
    public List<FieldPath> prefixes() {
        List<FieldPath> out = new ArrayList<>();
        for (int i = 1; i < segments.size(); i++) {
            out.add(new FieldPath(segments.subList(0, i)));
        }
        return out;
    }

    /** The JSON Pointer (RFC 6901), e.g. {@code /capture/enabled}. */
    public String pointer() {
        StringBuilder b = new StringBuilder();
        for (String s : segments) {
            b.append('/').append(s.replace("~", "~0").replace("/", "~1"));
        }
        return b.toString();
    }

    /** Dot-separated when every name is plain (as written in policies), else the JSON Pointer. */
    @Override
    public String toString() {
        for (String s : segments) {
            if (!PLAIN.matcher(s).matches()) {
                return pointer();
            }
        }
        return String.join(".", segments);
    }
}
