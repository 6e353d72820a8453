package org.foureyes.auditlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One log entry: a compact JSON object stored and hashed as its exact UTF-8 bytes, members in
 * the order {@code seq, time, prev, type, statement?, facts}.
 *
 * <p>There is exactly one byte form per entry: {@link #create} writes it and {@link #parse}
 * accepts only bytes equal to what {@code create} writes for the values they contain. So two
 * parties that agree on an entry's meaning agree on its leaf hash, and an entry cannot be
 * re-encoded (whitespace, member order, escapes, number forms) to smuggle in a second reading.
 *
 * <p>Immutable; byte arrays and JSON are copied in and out.
 */
public final class LogEntry {

    /** The {@code prev} of entry 0: 32 zero bytes. */
    public static final byte[] GENESIS_PREV = new byte[Rfc6962.HASH_SIZE];

    // UTC, always 4-digit year and exactly 3 fraction digits, so that one instant has one form.
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR, 4).appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2).appendLiteral('-')
            .appendValue(ChronoField.DAY_OF_MONTH, 2).appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2).appendLiteral('.')
            .appendValue(ChronoField.MILLI_OF_SECOND, 3).appendLiteral('Z')
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT)
            .withZone(ZoneOffset.UTC);

    private static final List<String> FIELDS_WITH_STATEMENT =
            List.of("seq", "time", "prev", "type", "statement", "facts");
    private static final List<String> FIELDS_WITHOUT_STATEMENT =
            List.of("seq", "time", "prev", "type", "facts");

    // Thread-safe once configured. Duplicate member names are refused everywhere (design).
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Characters outside the BMP as plain UTF-8, not as escaped surrogate pairs.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private final long seq;
    private final Instant time;
    private final byte[] prev;
    private final EntryType type;
    private final String statement;
    private final ObjectNode facts;
    private final byte[] bytes;
    private final byte[] leafHash;

    private LogEntry(long seq, Instant time, byte[] prev, EntryType type, String statement,
            ObjectNode facts, byte[] bytes) {
        this.seq = seq;
        this.time = time;
        this.prev = prev;
        this.type = type;
        this.statement = statement;
        this.facts = facts;
        this.bytes = bytes;
        this.leafHash = Rfc6962.leafHash(bytes);
    }

    /**
     * Creates an entry in canonical form. {@code time} is truncated to milliseconds, the precision
     * of the format. {@code type} must be a known {@link EntryType} wire name, and
     * {@code statement} must be present exactly for the types that carry one.
     *
     * @throws IllegalArgumentException if a value cannot be written in the entry format
     */
    public static LogEntry create(long seq, Instant time, byte[] prevLeafHash, String type,
            String statementOrNull, ObjectNode facts) {
        Objects.requireNonNull(type, "type");
        EntryType t = EntryType.fromWireName(type)
                .orElseThrow(() -> new IllegalArgumentException("unknown entry type \"" + type + "\""));
        return create(seq, time, prevLeafHash, t, statementOrNull, facts);
    }

    /** As {@link #create(long, Instant, byte[], String, String, ObjectNode)}, with a typed type. */
    public static LogEntry create(long seq, Instant time, byte[] prevLeafHash, EntryType type,
            String statementOrNull, ObjectNode facts) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(prevLeafHash, "prevLeafHash");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(facts, "facts");
        if (seq < 0) {
            throw new IllegalArgumentException("negative seq " + seq);
        }
        if (prevLeafHash.length != Rfc6962.HASH_SIZE) {
            throw new IllegalArgumentException("prev has " + prevLeafHash.length + " bytes, want "
                    + Rfc6962.HASH_SIZE);
        }
        if (type.hasStatement() != (statementOrNull != null)) {
            throw new IllegalArgumentException("entry type " + type
                    + (type.hasStatement() ? " needs a statement" : " carries no statement"));
        }
        if (statementOrNull != null && statementOrNull.isEmpty()) {
            throw new IllegalArgumentException("empty statement");
        }
        Instant t = time.truncatedTo(ChronoUnit.MILLIS);
        String timeText;
        try {
            timeText = formatCached(t);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time " + time + " outside years 0000-9999", e);
        }
        byte[] prev = prevLeafHash.clone();
        ObjectNode factsCopy = facts.deepCopy();
        byte[] bytes = write(seq, timeText, prev, type, statementOrNull, factsCopy);
        return new LogEntry(seq, t, prev, type, statementOrNull, factsCopy, bytes);
    }

    /**
     * Parses an entry, accepting only the canonical form: valid UTF-8, no newline, members in
     * order with none missing, unknown or repeated, and every value written as {@link #create}
     * writes it.
     */
    public static LogEntry parse(byte[] bytes) throws EntryFormatException {
        Objects.requireNonNull(bytes, "bytes");
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                throw new EntryFormatException("line break at byte " + i);
            }
        }
        try {
            // Jackson would otherwise guess UTF-16/32 from the first bytes, or pass bad sequences.
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new EntryFormatException("not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new EntryFormatException("not a JSON object: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new EntryFormatException("not a JSON object: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new EntryFormatException("not a JSON object");
        }
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        if (!names.equals(FIELDS_WITH_STATEMENT) && !names.equals(FIELDS_WITHOUT_STATEMENT)) {
            throw new EntryFormatException("members " + names + ", want " + FIELDS_WITH_STATEMENT
                    + " in this order (statement optional)");
        }

        JsonNode seqNode = root.get("seq");
        if (!seqNode.isIntegralNumber() || !seqNode.canConvertToLong() || seqNode.asLong() < 0) {
            throw new EntryFormatException("seq is not a non-negative integer: " + seqNode);
        }
        long seq = seqNode.asLong();

        String timeText = text(root, "time");
        Instant time;
        try {
            time = Instant.from(TIME.parse(timeText));
        } catch (DateTimeException e) {
            throw new EntryFormatException("time \"" + timeText
                    + "\" is not yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", e);
        }

        String prevText = text(root, "prev");
        byte[] prev;
        try {
            prev = Base64.getDecoder().decode(prevText);
        } catch (IllegalArgumentException e) {
            throw new EntryFormatException("prev is not base64: \"" + prevText + "\"", e);
        }
        if (prev.length != Rfc6962.HASH_SIZE) {
            throw new EntryFormatException("prev has " + prev.length + " bytes, want " + Rfc6962.HASH_SIZE);
        }

        String typeText = text(root, "type");
        EntryType type = EntryType.fromWireName(typeText)
                .orElseThrow(() -> new EntryFormatException("unknown entry type \"" + typeText + "\""));

        String statement = root.has("statement") ? text(root, "statement") : null;
        if (type.hasStatement() != (statement != null)) {
            throw new EntryFormatException("entry type " + type
                    + (type.hasStatement() ? " needs a statement" : " carries no statement"));
        }
        if (statement != null && statement.isEmpty()) {
            throw new EntryFormatException("empty statement");
        }

        JsonNode facts = root.get("facts");
        if (!facts.isObject()) {
            throw new EntryFormatException("facts is not a JSON object");
        }

        byte[] canonical;
        try {
            canonical = write(seq, timeText, prev, type, statement, (ObjectNode) facts);
        } catch (IllegalArgumentException e) {
            throw new EntryFormatException("cannot re-encode entry: " + e.getMessage(), e);
        }
        if (!Arrays.equals(bytes, canonical)) {
            int at = Arrays.mismatch(bytes, canonical);
            throw new EntryFormatException("not in canonical form: differs at byte " + at
                    + " from " + new String(canonical, StandardCharsets.UTF_8));
        }
        return new LogEntry(seq, time, prev, type, statement, (ObjectNode) facts, canonical);
    }

    private static String text(JsonNode root, String name) throws EntryFormatException {
        JsonNode n = root.get(name);
        if (!n.isTextual()) {
            throw new EntryFormatException(name + " is not a string: " + n);
        }
        return n.textValue();
    }

    private static byte[] write(long seq, String time, byte[] prev, EntryType type,
            String statement, ObjectNode facts) {
        if (statement != null) {
            checkText(statement, "statement");
        }
        checkTexts(facts, "facts");
        // Room for the members around the facts, so the buffer rarely grows (and copies) while writing.
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + (statement == null ? 0 : statement.length()));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("seq", seq);
            g.writeStringField("time", time);
            g.writeStringField("prev", Base64.getEncoder().encodeToString(prev));
            g.writeStringField("type", type.wireName());
            if (statement != null) {
                g.writeStringField("statement", statement);
            }
            g.writeFieldName("facts");
            g.writeTree(facts);
            g.writeEndObject();
        } catch (IOException e) {
            // Only unencodable text (e.g. a lone surrogate) gets here; there is no real I/O.
            throw new IllegalArgumentException("cannot encode entry: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Refuses unpaired surrogates: JSON can escape them, but they are not Unicode text and other
     * parsers replace or reject them, which would give one entry two readings.
     */
    private static void checkTexts(JsonNode node, String path) {
        if (node.isTextual()) {
            checkText(node.textValue(), path);
        } else if (node.isObject()) {
            for (Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> f = it.next();
                if (!isWellFormed(f.getKey())) {
                    checkText(f.getKey(), path + " member name");
                }
                if (!f.getValue().isValueNode() || f.getValue().isTextual() && !isWellFormed(f.getValue().textValue())) {
                    checkTexts(f.getValue(), path + "." + f.getKey()); // the path is built only when needed
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTexts(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static void checkText(String s, String path) {
        if (!isWellFormed(s)) {
            throw new IllegalArgumentException("unpaired surrogate in " + path);
        }
    }

    /** Whether {@code s} has no unpaired surrogate. */
    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static String formatTime(Instant t) {
        return TIME.format(t);
    }

    /** The last time formatted by {@link #create}: entries of one batch share their time. */
    private record FormattedTime(Instant time, String text) {
    }

    private static volatile FormattedTime lastFormatted = new FormattedTime(Instant.EPOCH, TIME.format(Instant.EPOCH));

    private static String formatCached(Instant t) {
        FormattedTime f = lastFormatted;
        if (f.time().equals(t)) {
            return f.text();
        }
        String text = TIME.format(t);
        lastFormatted = new FormattedTime(t, text);
        return text;
    }

    public long seq() {
        return seq;
    }

    /** The entry's time, at millisecond precision. */
    public Instant time() {
        return time;
    }

    /** The leaf hash of the previous entry ({@link #GENESIS_PREV} for entry 0). */
    public byte[] prev() {
        return prev.clone();
    }

    /** The type's wire name, e.g. {@code change.decided}. */
    public String type() {
        return type.wireName();
    }

    public EntryType entryType() {
        return type;
    }

    /** The signed statement (JWS compact form), for types caused by one. */
    public Optional<String> statement() {
        return Optional.ofNullable(statement);
    }

    /** A copy of the facts. */
    public ObjectNode facts() {
        return facts.deepCopy();
    }

    /** The exact bytes that are stored and hashed. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Number of bytes, without copying them. */
    public int length() {
        return bytes.length;
    }

    /** SHA-256(0x00 || bytes): this entry's leaf in the Merkle tree and the next entry's prev. */
    public byte[] leafHash() {
        return leafHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(leafHash);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
