package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The compiled content guards of one component: its JSON Schema and its CEL expressions.
 *
 * <p>Compile once, when the policy is loaded ({@link #compile}); {@link #check} is then pure,
 * deterministic and safe to call from many threads at once. A guard sees three variables:
 *
 * <ul>
 *   <li>{@code config}: the proposed configuration, a JSON object as a CEL map;
 *   <li>{@code current}: the configuration in place, a map, or {@code null} if the component has
 *       none yet;
 *   <li>{@code request}: the request's claims (see {@link #request}): {@code iss}, {@code component},
 *       {@code reason}, {@code emergency} (always a bool) and whatever else the caller adds.
 * </ul>
 *
 * JSON values become CEL values as follows: objects are maps with string keys, arrays are lists,
 * integral numbers are {@code int} (a number outside the 64-bit range is a {@code double}), other
 * numbers are {@code double}, and JSON null is CEL {@code null}. Heterogeneous numeric comparisons
 * are enabled, so {@code config.rate < 1.5} works whether {@code rate} is written 1 or 1.0.
 *
 * <p>A guard passes only if it evaluates to {@code true}. {@code false}, a non-boolean result, and
 * an evaluation error (for example a missing field: use {@code has(config.x)} to test for one) are
 * violations; a guard that cannot be evaluated never lets a configuration through.
 */
public final class ContentGuards {

    /** The name under which JSON Schema findings and schema errors are reported. */
    public static final String SCHEMA = "schema";

    /** The JSON Schema dialect used when the schema does not name one with {@code $schema}. */
    public static final SpecVersion.VersionFlag DEFAULT_DIALECT = SpecVersion.VersionFlag.V202012;

    private static final CelType JSON_OBJECT = MapType.create(SimpleType.STRING, SimpleType.DYN);

    /** One immutable, thread-safe CEL environment for every guard of every policy. */
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current()
                    .enableHeterogeneousNumericComparisons(true)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("config", JSON_OBJECT)
            .addVar("current", SimpleType.DYN)
            .addVar("request", JSON_OBJECT)
            .build();

    private static final Map<SpecVersion.VersionFlag, JsonSchemaFactory> FACTORIES =
            new EnumMap<>(SpecVersion.VersionFlag.class);

    private static final SchemaValidatorsConfig SCHEMA_CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH)
            .formatAssertionsEnabled(true)
            .build();

    private static final ContentGuards NONE = new ContentGuards(null, null, List.of());

    private final String component;
    private final JsonSchema schema;
    private final List<CompiledGuard> guards;

    private record CompiledGuard(Guard guard, CelRuntime.Program program) {}

    private ContentGuards(String component, JsonSchema schema, List<CompiledGuard> guards) {
        this.component = component;
        this.schema = schema;
        this.guards = guards;
    }

    /**
     * Compiles a component's schema and guards.
     *
     * @throws GuardException naming the first guard that does not compile (in file order, the
     *     schema first): a CEL parse or type error with its position, an expression whose type is
     *     not bool, or a JSON Schema that is not valid under its dialect's meta-schema
     */
    public static ContentGuards compile(Component c) throws GuardException {
        JsonSchema schema = c.schema().isPresent() ? compileSchema(c.schema().get()) : null;
        List<CompiledGuard> compiled = new ArrayList<>(c.guards().size());
        Set<String> names = new java.util.HashSet<>();
        for (Guard g : c.guards()) {
            if (SCHEMA.equals(g.name())) {
                throw new GuardException(g.name(), "the name '" + SCHEMA + "' is reserved for the JSON Schema");
            }
            if (!names.add(g.name())) {
                throw new GuardException(g.name(), "two guards of component " + c.name() + " have this name");
            }
            compiled.add(new CompiledGuard(g, compileExpression(g)));
        }
        return new ContentGuards(c.name(), schema, List.copyOf(compiled));
    }

    /** Guards that let every configuration through (a component without schema or guards). */
    public static ContentGuards none() {
        return NONE;
    }

    /** The component these guards belong to (null for {@link #none()}). */
    public String component() {
        return component;
    }

    /** Whether there is anything to check. */
    public boolean isEmpty() {
        return schema == null && guards.isEmpty();
    }

    private static CelRuntime.Program compileExpression(Guard g) throws GuardException {
        if (g.expr() == null || g.expr().isBlank()) {
            throw new GuardException(g.name(), "the expression is empty");
        }
        CelValidationResult result = CEL.compile(g.expr());
        if (result.hasError()) {
            throw new GuardException(g.name(), result.getErrorString());
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            throw new GuardException(g.name(), e.getMessage(), e);
        }
        CelType type = ast.getResultType();
        if (!type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
            throw new GuardException(g.name(),
                    "the expression has type " + type.name() + ", but a guard must be a bool");
        }
        try {
            return CEL.createProgram(ast);
        } catch (CelEvaluationException e) {
            throw new GuardException(g.name(), e.getMessage(), e);
        }
    }

    private static synchronized JsonSchemaFactory factory(SpecVersion.VersionFlag flag) {
        return FACTORIES.computeIfAbsent(flag, f -> JsonSchemaFactory.getInstance(f, b -> b.schemaLoaders(
                // Only the bundled meta-schemas: a policy's schema must be self-contained, so that
                // every checker reaches the same verdict without fetching anything.
                l -> l.values(list -> list.add(0, new AllowSchemaLoader(iri -> {
                    String s = iri.toString();
                    return s.startsWith("classpath:")
                            || s.startsWith("https://json-schema.org/")
                            || s.startsWith("http://json-schema.org/");
                }))))));
    }

    private static JsonSchema compileSchema(JsonNode node) throws GuardException {
        if (!node.isObject() && !node.isBoolean()) {
            throw new GuardException(SCHEMA, "a JSON Schema is an object (or a boolean), not " + node.getNodeType());
        }
        SpecVersion.VersionFlag flag = DEFAULT_DIALECT;
        JsonNode declared = node.isObject() ? node.get("$schema") : null;
        if (declared != null) {
            Optional<SpecVersion.VersionFlag> found =
                    declared.isTextual() ? SpecVersion.VersionFlag.fromId(declared.asText()) : Optional.empty();
            if (found.isEmpty()) {
                throw new GuardException(SCHEMA, "unknown $schema " + declared
                        + "; use " + SpecVersion.VersionFlag.V202012.getId()
                        + " or " + SpecVersion.VersionFlag.V7.getId() + " (or leave it out for 2020-12)");
            }
            flag = found.get();
        }
        JsonSchemaFactory factory = factory(flag);
        try {
            JsonSchema meta = factory.getSchema(SchemaLocation.of(flag.getId()), SCHEMA_CONFIG);
            Set<ValidationMessage> problems = meta.validate(node);
            if (!problems.isEmpty()) {
                throw new GuardException(SCHEMA, "not a valid JSON Schema (" + flag.getId() + "): " + describe(problems));
            }
            JsonSchema schema = factory.getSchema(node, SCHEMA_CONFIG);
            schema.initializeValidators();
            return schema;
        } catch (GuardException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GuardException(SCHEMA, "cannot be compiled: " + e.getMessage(), e);
        }
    }

    private static String describe(Set<ValidationMessage> messages) {
        List<String> lines = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            lines.add(m.getMessage());
        }
        Collections.sort(lines); // the validator's set has no stable order
        return String.join("; ", lines);
    }

    /**
     * Checks a proposed configuration and returns every violation, the schema's first, then the
     * guards' in file order; an empty list means the configuration passes.
     *
     * @param config the proposed configuration (a JSON object)
     * @param currentOrNull the configuration in place, or null (or a JSON null) if there is none
     * @param request the request's claims as seen by guards (see {@link #request}); values may be
     *     JSON nodes, strings, booleans, numbers, lists, maps or null
     */
    public List<GuardViolation> check(JsonNode config, JsonNode currentOrNull, Map<String, Object> request) {
        if (config == null || !config.isObject()) {
            return List.of(new GuardViolation(SCHEMA, "a configuration is a JSON object, not "
                    + (config == null ? "nothing" : config.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))));
        }
        List<GuardViolation> violations = new ArrayList<>();
        if (schema != null) {
            Set<ValidationMessage> messages = schema.validate(config);
            if (!messages.isEmpty()) {
                violations.add(new GuardViolation(SCHEMA, describe(messages)));
            }
        }
        if (guards.isEmpty()) {
            return violations;
        }
        Map<String, Object> vars = new HashMap<>(4);
        vars.put("config", toCel(config));
        vars.put("current", currentOrNull == null ? dev.cel.common.values.NullValue.NULL_VALUE : toCel(currentOrNull));
        vars.put("request", requestToCel(request));
        for (CompiledGuard g : guards) {
            Object result;
            try {
                result = g.program().eval(vars);
            } catch (CelEvaluationException | RuntimeException e) {
                violations.add(new GuardViolation(g.guard().name(),
                        g.guard().message() + " (the expression could not be evaluated: " + e.getMessage() + ")"));
                continue;
            }
            if (!Boolean.TRUE.equals(result)) {
                violations.add(new GuardViolation(g.guard().name(), result instanceof Boolean
                        ? g.guard().message()
                        : g.guard().message() + " (the expression gave " + result + ", not a bool)"));
            }
        }
        return violations;
    }

    /** The request claims a guard sees as {@code request}, built from a change request's fields. */
    public static Map<String, Object> request(String iss, String component, String reason, boolean emergency) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iss", iss);
        m.put("component", component);
        m.put("reason", reason);
        m.put("emergency", emergency);
        return m;
    }

    private static Map<String, Object> requestToCel(Map<String, Object> request) {
        Map<String, Object> out = new HashMap<>();
        if (request != null) {
            for (Map.Entry<String, Object> e : request.entrySet()) {
                out.put(e.getKey(), javaToCel(e.getValue()));
            }
        }
        out.putIfAbsent("emergency", false);
        return out;
    }

    private static Object javaToCel(Object v) {
        if (v == null) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        } else if (v instanceof JsonNode n) {
            return toCel(n);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        } else if (v instanceof Float f) {
            return f.doubleValue();
        } else if (v instanceof java.time.Instant t) {
            return t.getEpochSecond();
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new HashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), javaToCel(e.getValue()));
            }
            return out;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(javaToCel(o));
            }
            return out;
        }
        return v; // String, Boolean, Long, Double
    }

    /** Converts a JSON value to the CEL value a guard sees (see the class comment). */
    static Object toCel(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT: {
                Map<String, Object> m = new HashMap<>(Math.max(4, n.size() * 2));
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), toCel(e.getValue()));
                }
                return m;
            }
            case ARRAY: {
                List<Object> l = new ArrayList<>(n.size());
                for (JsonNode e : n) {
                    l.add(toCel(e));
                }
                return l;
            }
            case NUMBER:
                if (n.isIntegralNumber()) {
                    if (n.canConvertToLong()) {
                        return n.longValue();
                    }
                    return n.bigIntegerValue().doubleValue();
                }
                return n.doubleValue();
            case BOOLEAN:
                return n.booleanValue();
            case STRING:
                return n.textValue();
            case NULL:
            case MISSING:
                return dev.cel.common.values.NullValue.NULL_VALUE;
            default: // BINARY, POJO: not produced by JSON parsing
                return n.asText();
        }
    }
}
