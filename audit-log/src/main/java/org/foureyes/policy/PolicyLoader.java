package org.foureyes.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.statement.IJson;
import org.foureyes.statement.IJsonException;

/**
 * Reads a policy file into a {@link Policy}, refusing anything a careful operator would want
 * refused, with errors that name the file, the line and the field (see {@link PolicyException}).
 *
 * <p>Two passes: the YAML is read with Jackson's streaming parser into a JSON tree (the policy's
 * {@link Policy#document() document}), recording the line of every field and list element; then
 * the tree is checked and turned into the typed model, so every semantic error can point at a line.
 * Finally each component's content guards are compiled ({@link ContentGuards#compile}) and the
 * policy is analysed ({@link PolicyAnalysis#analyse}); {@link #load} and {@link #parse} refuse a
 * policy with analysis violations, {@link #loadUnchecked} and {@link #parseUnchecked} return it so
 * that {@code policy check} can show what is wrong.
 */
public final class PolicyLoader {

    /** Names of components, roles, principals, separation entries and guards. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String NAME_RULE = "use lower-case letters, digits, '-', '_' and '.', starting with a letter or digit";

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private PolicyLoader() {}

    /** Loads, checks, compiles the guards of and analyses a policy file; refuses any violation. */
    public static Policy load(Path file) throws PolicyException {
        return parse(read(file), file.getFileName().toString());
    }

    /** As {@link #load}, from text; {@code sourceName} is what errors call the file. */
    public static Policy parse(String yaml, String sourceName) throws PolicyException {
        PolicyLoader.Loaded loaded = new Reader(yaml, sourceName).read();
        PolicyAnalysis analysis = PolicyAnalysis.analyse(loaded.policy);
        if (!analysis.ok()) {
            throw loaded.refusal(analysis);
        }
        return loaded.policy;
    }

    /**
     * Loads a policy that is well formed and whose guards compile, but does not refuse it when its
     * analysis finds violations: for {@code policy check} and {@code policy diff}, which print them.
     * Never activate a policy loaded this way.
     */
    public static Policy loadUnchecked(Path file) throws PolicyException {
        return parseUnchecked(read(file), file.getFileName().toString());
    }

    /** As {@link #loadUnchecked}, from text. */
    public static Policy parseUnchecked(String yaml, String sourceName) throws PolicyException {
        return new Reader(yaml, sourceName).read().policy;
    }

    /**
     * A policy that is well formed, with its analysis and, if the analysis has violations, the
     * exception {@link #load} would have thrown (naming the line of the first violation).
     */
    public record Checked(Policy policy, PolicyAnalysis analysis, Optional<PolicyException> refusal) {}

    /** Loads without refusing on analysis violations, and says what {@link #load} would have said. */
    public static Checked check(Path file) throws PolicyException {
        return check(read(file), file.getFileName().toString());
    }

    /** As {@link #check(Path)}, from text. */
    public static Checked check(String yaml, String sourceName) throws PolicyException {
        Loaded loaded = new Reader(yaml, sourceName).read();
        PolicyAnalysis analysis = PolicyAnalysis.analyse(loaded.policy);
        return new Checked(loaded.policy, analysis,
                analysis.ok() ? Optional.empty() : Optional.of(loaded.refusal(analysis)));
    }

    private static String read(Path file) throws PolicyException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new PolicyException(file.toString(), 0, "", "no such file");
        } catch (CharacterCodingException e) {
            throw new PolicyException(name, 0, "", "the file is not valid UTF-8");
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, "", "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a policy from its JSON form ({@link Policy#document()}, as the log carries it in
     * {@code log.genesis} and {@code policy.activated} entries, or as the {@code config} of a change
     * request for the component {@code policy}), with exactly the checks of {@link #parse}: the
     * same validation, guard compilation and analysis, and the same refusals. The resulting
     * policy's document equals {@code document}, so {@link PolicyHash} gives the hash of the JSON
     * that was passed in. Errors carry no line number (line 0): JSON in a log has none to show.
     *
     * @param sourceName what errors call the document, for example {@code genesis policy}
     */
    public static Policy fromJson(JsonNode document, String sourceName) throws PolicyException {
        Loaded loaded = new Reader(document, sourceName).read();
        PolicyAnalysis analysis = PolicyAnalysis.analyse(loaded.policy);
        if (!analysis.ok()) {
            throw loaded.refusal(analysis);
        }
        return loaded.policy;
    }

    /** A policy as read, with the line of each field, before the analysis gate. */
    private static final class Loaded {
        final Policy policy;
        final String file;
        final Map<String, Integer> lines;

        Loaded(Policy policy, String file, Map<String, Integer> lines) {
            this.policy = policy;
            this.file = file;
            this.lines = lines;
        }

        PolicyException refusal(PolicyAnalysis analysis) {
            List<PolicyAnalysis.Violation> vs = analysis.violationList();
            PolicyAnalysis.Violation first = vs.get(0);
            String detail;
            if (vs.size() == 1) {
                detail = "policy refused: " + first.message();
            } else {
                StringBuilder sb = new StringBuilder("policy refused, " + vs.size() + " violations: ");
                for (int i = 0; i < vs.size(); i++) {
                    sb.append(i == 0 ? "" : "; ").append(i + 1).append(") ").append(vs.get(i).message());
                }
                detail = sb.toString();
            }
            return new PolicyException(file, lineOf(lines, first.pointer()), fieldOf(policy.document(), first.pointer()),
                    detail, analysis.violations(), null);
        }
    }

    static int lineOf(Map<String, Integer> lines, String pointer) {
        if (lines.isEmpty()) {
            return 0; // read from JSON, not from a file: no lines
        }
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Renders a JSON pointer as a field path ({@code principals.rene.keys[0]}) against the document. */
    static String fieldOf(JsonNode doc, String pointer) {
        if (pointer.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        JsonNode cur = doc;
        for (String raw : pointer.substring(1).split("/", -1)) {
            String seg = raw.replace("~1", "/").replace("~0", "~");
            if (cur != null && cur.isArray()) {
                sb.append('[').append(seg).append(']');
                cur = cur.get(Integer.parseInt(seg));
            } else {
                sb.append(key(sb.length() == 0, seg));
                cur = cur == null ? null : cur.get(seg);
            }
        }
        return sb.toString();
    }

    private static String key(boolean first, String name) {
        if (PLAIN_KEY.matcher(name).matches()) {
            return first ? name : "." + name;
        }
        return "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    private static String esc(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** A node of the document with its pointer and field path. */
    private record N(JsonNode node, String ptr, String field) {
        boolean missing() {
            return node == null || node.isMissingNode();
        }

        N child(String name) {
            return new N(node == null ? null : node.get(name), ptr + "/" + esc(name),
                    field + key(field.isEmpty(), name));
        }

        N elem(int i) {
            return new N(node == null ? null : node.get(i), ptr + "/" + i, field + "[" + i + "]");
        }

        List<N> elems() {
            List<N> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                out.add(elem(i));
            }
            return out;
        }

        List<String> fieldNames() {
            List<String> out = new ArrayList<>();
            node.fieldNames().forEachRemaining(out::add);
            return out;
        }
    }

    private static final class Reader {
        private final String yaml;
        private final String file;
        private final Map<String, Integer> lines = new HashMap<>();
        /** The container being read, for errors the YAML parser reports (duplicate keys). */
        private String container = "";

        /** The document, when reading JSON rather than YAML. */
        private final JsonNode given;

        Reader(String yaml, String file) {
            this.yaml = yaml;
            this.file = file;
            this.given = null;
        }

        Reader(JsonNode document, String file) {
            this.yaml = null;
            this.file = file;
            this.given = java.util.Objects.requireNonNull(document, "document").deepCopy();
        }

        PolicyException err(N at, String detail) {
            return new PolicyException(file, lineOf(lines, at.ptr), at.field, detail);
        }

        // ---------------------------------------------------------------- pass 1: YAML to tree

        private JsonNode tree() throws PolicyException {
            var tooLarge = PolicyLimits.checkText(yaml);
            if (tooLarge.isPresent()) {
                throw new PolicyException(file, 0, "", tooLarge.get());
            }
            try (JsonParser p = YAML.createParser(yaml)) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new PolicyException(file, 1, "", "the file is empty");
                }
                lines.put("", p.currentTokenLocation().getLineNr());
                JsonNode root = value(p, "", "");
                if (p.nextToken() != null) {
                    throw new PolicyException(file, p.currentTokenLocation().getLineNr(), "",
                            "more than one YAML document: a policy file holds exactly one");
                }
                return root;
            } catch (JsonProcessingException e) {
                int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                String msg = e.getOriginalMessage();
                if (msg != null && msg.startsWith("Duplicate field")) {
                    String dup = msg.substring(msg.indexOf('\'') + 1, msg.lastIndexOf('\''));
                    String at = container;
                    throw new PolicyException(file, line, at, "duplicate key '" + dup + "'");
                }
                throw new PolicyException(file, line, "", "not valid YAML: " + yamlProblem(msg), e);
            } catch (IOException e) {
                throw new PolicyException(file, 0, "", "cannot read: " + e.getMessage(), e);
            }
        }

        private JsonNode value(JsonParser p, String ptr, String field) throws IOException, PolicyException {
            JsonNodeFactory nf = JsonNodeFactory.instance;
            JsonToken t = p.currentToken();
            if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
                throw new PolicyException(file, p.currentTokenLocation().getLineNr(), field,
                        "YAML aliases (*" + p.getText() + ") are not allowed in a policy: write the value out");
            }
            switch (t) {
                case START_OBJECT: {
                    ObjectNode o = nf.objectNode();
                    String saved = container;
                    container = field;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        String childPtr = ptr + "/" + esc(name);
                        ijson(p, field, () -> IJson.checkString(name, childPtr, "key"));
                        if (o.has(name)) {
                            throw new PolicyException(file, p.currentTokenLocation().getLineNr(), field,
                                    "duplicate key '" + name + "'");
                        }
                        lines.put(childPtr, p.currentTokenLocation().getLineNr());
                        p.nextToken();
                        o.set(name, value(p, childPtr, field + key(field.isEmpty(), name)));
                    }
                    container = saved;
                    return o;
                }
                case START_ARRAY: {
                    ArrayNode a = nf.arrayNode();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        String childPtr = ptr + "/" + i;
                        lines.put(childPtr, p.currentTokenLocation().getLineNr());
                        a.add(value(p, childPtr, field + "[" + i + "]"));
                        i++;
                    }
                    return a;
                }
                case VALUE_STRING:
                    String text = p.getText();
                    ijson(p, field, () -> IJson.checkString(text, ptr, "string"));
                    return nf.textNode(text);
                case VALUE_NUMBER_INT:
                    BigInteger big = p.getBigIntegerValue();
                    ijson(p, field, () -> IJson.checkInteger(big, big.toString(), ptr));
                    return intNode(p);
                case VALUE_NUMBER_FLOAT:
                    BigDecimal dec = p.getDecimalValue();
                    ijson(p, field, () -> IJson.checkFloat(dec, p.getText(), ptr));
                    return nf.numberNode(dec);
                case VALUE_TRUE:
                    return nf.booleanNode(true);
                case VALUE_FALSE:
                    return nf.booleanNode(false);
                case VALUE_NULL:
                    return nf.nullNode();
                default:
                    throw new PolicyException(file, p.currentTokenLocation().getLineNr(), field,
                            "unsupported YAML value (" + t + "): use plain strings, numbers, booleans, lists and maps");
            }
        }

        private interface IJsonCheck {
            void run() throws IJsonException, IOException;
        }

        /**
         * The policy is hashed with RFC 8785, defined only for I-JSON: YAML can carry what JSON
         * cannot ("\ud800" in a double-quoted string), so each scalar is held to I-JSON here.
         */
        private void ijson(JsonParser p, String field, IJsonCheck check) throws PolicyException, IOException {
            try {
                check.run();
            } catch (IJsonException e) {
                throw new PolicyException(file, p.currentTokenLocation().getLineNr(), field, e.getMessage());
            }
        }

        private static JsonNode intNode(JsonParser p) throws IOException {
            JsonNodeFactory nf = JsonNodeFactory.instance;
            return switch (p.getNumberType()) {
                case INT -> nf.numberNode(p.getIntValue());
                case LONG -> nf.numberNode(p.getLongValue());
                default -> nf.numberNode(p.getBigIntegerValue());
            };
        }

        /** SnakeYAML's message without its quoted source lines and positions: "while ...; expected ...". */
        private static String yamlProblem(String s) {
            if (s == null) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            for (String l : s.split("\n")) {
                if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) {
                    parts.add(l.strip());
                }
            }
            return String.join("; ", parts);
        }

        // ---------------------------------------------------------------- pass 2: tree to model

        Loaded read() throws PolicyException {
            JsonNode doc = given != null ? given : tree();
            if (given != null) {
                try {
                    IJson.check(given);
                } catch (IJsonException e) {
                    throw new PolicyException(file, 0, "", e.getMessage());
                }
            }
            N root = new N(doc, "", "");
            var excess = PolicyLimits.check(doc);
            if (excess.isPresent()) {
                throw new PolicyException(file, lineOf(lines, excess.get().pointer()),
                        fieldOf(doc, excess.get().pointer()), excess.get().message());
            }
            if (!doc.isObject()) {
                throw err(root, "a policy is a map with the keys policy, components, roles, principals, approvals, separation and timing");
            }
            fields(root, Set.of("policy", "description", "components", "roles", "principals", "approvals",
                    "separation", "timing"), List.of("policy", "components", "roles", "principals", "approvals", "timing"));

            String name = name(root.child("policy"), "policy");
            if (root.node.has("description")) {
                text(root.child("description"));
            }

            Map<String, Component> components = new LinkedHashMap<>();
            Map<String, N> componentNodes = new LinkedHashMap<>();
            N comps = map(root.child("components"), false);
            for (String c : comps.fieldNames()) {
                N cn = comps.child(c);
                checkName(cn, c, "component");
                if (c.equals(Policy.POLICY_COMPONENT)) {
                    throw err(cn, "'policy' is the built-in component for the policy itself: do not declare it"
                            + " (its approval rule is approvals.policy; it has no schema, guards or emergency)");
                }
                if (c.equals("default")) {
                    throw err(cn, "'default' cannot name a component: approvals.default is the default approval rule");
                }
                componentNodes.put(c, cn);
            }
            Set<String> componentNames = new LinkedHashSet<>(componentNodes.keySet());
            componentNames.add(Policy.POLICY_COMPONENT);

            Map<String, Role> roles = roles(root.child("roles"), componentNames);
            Map<String, Principal> principals = principals(root.child("principals"), roles);
            checkCovered(root, componentNodes, roles);

            N approvalsNode = map(root.child("approvals"), true);
            fieldsAllowed(approvalsNode, componentNames, "default");
            if (!approvalsNode.node.has("default")) {
                throw err(approvalsNode.child("default"), "required field missing: the default approval rule");
            }
            ApprovalRule defaultRule = rule(approvalsNode.child("default"), roles, false);
            Map<String, ApprovalRule> approvals = new LinkedHashMap<>();
            Map<String, N> ruleNodes = new LinkedHashMap<>();
            for (String c : componentNames) {
                N rn = approvalsNode.child(c);
                if (approvalsNode.node.has(c)) {
                    approvals.put(c, rule(rn, roles, false));
                    ruleNodes.put(c, rn);
                } else {
                    approvals.put(c, defaultRule);
                    ruleNodes.put(c, approvalsNode.child("default"));
                }
            }
            for (String c : componentNames) {
                fillable(ruleNodes.get(c), approvals.get(c), c, roles, principals);
            }

            for (Map.Entry<String, N> e : componentNodes.entrySet()) {
                components.put(e.getKey(), component(e.getValue(), e.getKey(), roles, principals));
            }
            components.put(Policy.POLICY_COMPONENT, new Component(Policy.POLICY_COMPONENT,
                    "the policy itself", Optional.empty(), List.of(), Optional.empty()));

            List<SodSet> sod = new ArrayList<>();
            List<ProtectedSet> protectedSets = new ArrayList<>();
            if (root.node.has("separation")) {
                separation(root.child("separation"), componentNames, sod, protectedSets);
            }
            Timing timing = timing(root.child("timing"));

            Policy policy = new Policy(name, components, roles, principals, approvals, sod, protectedSets, timing, doc);
            compileGuards(policy, componentNodes);
            return new Loaded(policy, file, lines);
        }

        private void compileGuards(Policy policy, Map<String, N> componentNodes) throws PolicyException {
            for (Map.Entry<String, N> e : componentNodes.entrySet()) {
                Component c = policy.components().get(e.getKey());
                try {
                    ContentGuards.compile(c);
                } catch (GuardException ge) {
                    N cn = e.getValue();
                    N at = cn;
                    if (ContentGuards.SCHEMA.equals(ge.guardName()) && cn.node.has("schema")) {
                        at = cn.child("schema");
                    } else {
                        for (int i = 0; i < c.guards().size(); i++) {
                            if (c.guards().get(i).name().equals(ge.guardName())) {
                                at = cn.child("guards").elem(i).child("expr");
                            }
                        }
                    }
                    throw new PolicyException(file, lineOf(lines, at.ptr), at.field, ge.getMessage(), ge);
                } catch (RuntimeException re) {
                    throw new PolicyException(file, lineOf(lines, e.getValue().ptr), e.getValue().field,
                            "content guards do not compile: " + re, re);
                }
            }
        }

        // ---------------------------------------------------------------- sections

        private Map<String, Role> roles(N rolesNode, Set<String> componentNames) throws PolicyException {
            N rs = map(rolesNode, false);
            Map<String, Role> roles = new LinkedHashMap<>();
            for (String r : rs.fieldNames()) {
                N rn = rs.child(r);
                checkName(rn, r, "role");
                map(rn, true);
                fields(rn, Set.of("request", "approve", "report", "read"), List.of());
                Set<String> request = componentList(rn.child("request"), componentNames, true);
                Set<String> approve = componentList(rn.child("approve"), componentNames, true);
                Set<String> report = componentList(rn.child("report"), componentNames, false);
                boolean read = false;
                if (rn.node.has("read")) {
                    N readNode = rn.child("read");
                    if (!readNode.node.isBoolean()) {
                        throw err(readNode, "read is true or false, got " + describe(readNode.node));
                    }
                    read = readNode.node.booleanValue();
                }
                if (request.isEmpty() && approve.isEmpty() && report.isEmpty() && !read) {
                    throw err(rn, "role '" + r + "' grants nothing: give it request, approve, report or read");
                }
                roles.put(r, new Role(r, request, approve, report, read));
            }
            return roles;
        }

        private Set<String> componentList(N n, Set<String> componentNames, boolean policyAllowed) throws PolicyException {
            Set<String> out = new LinkedHashSet<>();
            if (n.missing()) {
                return out;
            }
            list(n, true);
            for (N e : n.elems()) {
                String c = text(e);
                if (!componentNames.contains(c)) {
                    throw err(e, "no component '" + c + "'" + known(componentNames));
                }
                if (!policyAllowed && c.equals(Policy.POLICY_COMPONENT)) {
                    throw err(e, "nothing reports on 'policy': it has no agent");
                }
                if (!out.add(c)) {
                    throw err(e, "'" + c + "' is listed twice");
                }
            }
            return out;
        }

        private Map<String, Principal> principals(N principalsNode, Map<String, Role> roles) throws PolicyException {
            N ps = map(principalsNode, false);
            Map<String, Principal> principals = new LinkedHashMap<>();
            Map<String, String> keyOwners = new HashMap<>();
            for (String p : ps.fieldNames()) {
                N pn = ps.child(p);
                checkName(pn, p, "principal");
                map(pn, true);
                fields(pn, Set.of("roles", "keys"), List.of("roles", "keys"));
                N rolesNode = pn.child("roles");
                list(rolesNode, false);
                List<String> roleNames = new ArrayList<>();
                for (N e : rolesNode.elems()) {
                    String r = text(e);
                    if (!roles.containsKey(r)) {
                        throw err(e, "no role '" + r + "'" + known(roles.keySet()));
                    }
                    if (roleNames.contains(r)) {
                        throw err(e, "role '" + r + "' is listed twice");
                    }
                    roleNames.add(r);
                }
                checkAgentRights(rolesNode, p, roleNames, roles);

                N keysNode = pn.child("keys");
                list(keysNode, false);
                List<VerifierKey> keys = new ArrayList<>();
                for (N e : keysNode.elems()) {
                    String text = text(e);
                    VerifierKey key;
                    try {
                        key = VerifierKey.parse(text);
                    } catch (Exception ex) {
                        throw err(e, "malformed key: " + ex.getMessage());
                    }
                    if (!key.name().equals(p)) {
                        throw err(e, "key name '" + key.name() + "' is not the principal's name '" + p + "'");
                    }
                    String bytes = keyBytes(text);
                    String owner = keyOwners.putIfAbsent(bytes, e.field);
                    if (owner != null) {
                        throw err(e, "this key is already listed at " + owner + ": no key appears twice in a policy");
                    }
                    keys.add(key);
                }
                principals.put(p, new Principal(p, roleNames, keys));
            }
            return principals;
        }

        /** The key bytes part of {@code name+id+base64}: the text after the second '+'. */
        private static String keyBytes(String text) {
            int first = text.indexOf('+');
            int second = text.indexOf('+', first + 1);
            return text.substring(second + 1);
        }

        private void checkAgentRights(N at, String p, List<String> roleNames, Map<String, Role> roles) throws PolicyException {
            String report = null;
            String other = null;
            for (String r : roleNames) {
                Role role = roles.get(r);
                if (report == null && !role.report().isEmpty()) {
                    report = "report:" + role.report().iterator().next() + " (role " + r + ")";
                }
                if (other == null && !role.request().isEmpty()) {
                    other = "request:" + role.request().iterator().next() + " (role " + r + ")";
                }
                if (other == null && !role.approve().isEmpty()) {
                    other = "approve:" + role.approve().iterator().next() + " (role " + r + ")";
                }
            }
            if (report != null && other != null) {
                throw err(at, "principal '" + p + "' would hold " + report + " together with " + other
                        + ": a principal that reports holds no request or approve right");
            }
        }

        /** Every component, policy included, needs a role that may request it and one that may approve it. */
        private void checkCovered(N root, Map<String, N> componentNodes, Map<String, Role> roles) throws PolicyException {
            Map<String, N> all = new LinkedHashMap<>(componentNodes);
            all.put(Policy.POLICY_COMPONENT, root.child("roles"));
            for (Map.Entry<String, N> e : all.entrySet()) {
                String c = e.getKey();
                boolean req = roles.values().stream().anyMatch(r -> r.request().contains(c));
                boolean appr = roles.values().stream().anyMatch(r -> r.approve().contains(c));
                if (!req || !appr) {
                    throw err(e.getValue(), "no role may " + (!req ? "request" : "approve") + " changes to '" + c
                            + "': it could never be changed");
                }
            }
        }

        private ApprovalRule rule(N n, Map<String, Role> roles, boolean emergency) throws PolicyException {
            map(n, true);
            fields(n, Set.of("factors"), List.of("factors"));
            N fs = n.child("factors");
            list(fs, true);
            if (fs.node.isEmpty() && !emergency) {
                throw err(fs, "an approval rule needs at least one factor (four eyes); only an emergency rule may need none");
            }
            List<Factor> factors = new ArrayList<>();
            for (N f : fs.elems()) {
                map(f, true);
                fields(f, Set.of("count", "roles"), List.of("count", "roles"));
                int count = integer(f.child("count"));
                if (count < 1) {
                    throw err(f.child("count"), "count must be at least 1, got " + count);
                }
                N rn = f.child("roles");
                list(rn, false);
                Set<String> rs = new LinkedHashSet<>();
                for (N e : rn.elems()) {
                    String r = text(e);
                    if (!roles.containsKey(r)) {
                        throw err(e, "no role '" + r + "'" + known(roles.keySet()));
                    }
                    if (!rs.add(r)) {
                        throw err(e, "role '" + r + "' is listed twice");
                    }
                }
                factors.add(new Factor(count, rs));
            }
            return new ApprovalRule(factors);
        }

        /** Each factor of the rule for {@code component} must have enough principals who could fill it. */
        private void fillable(N ruleNode, ApprovalRule rule, String component, Map<String, Role> roles,
                Map<String, Principal> principals) throws PolicyException {
            for (int i = 0; i < rule.factors().size(); i++) {
                Factor f = rule.factors().get(i);
                List<String> eligible = new ArrayList<>();
                for (Principal p : principals.values()) {
                    boolean approves = p.roles().stream().anyMatch(r -> roles.get(r).approve().contains(component));
                    boolean inFactor = p.roles().stream().anyMatch(f.roles()::contains);
                    if (approves && inFactor) {
                        eligible.add(p.name());
                    }
                }
                if (eligible.size() < f.count()) {
                    throw err(ruleNode.child("factors").elem(i), "for component '" + component + "' this factor needs "
                            + f.count() + " approver" + (f.count() == 1 ? "" : "s") + " with role "
                            + String.join(" or ", f.roles()) + " and approve:" + component + ", but "
                            + (eligible.isEmpty() ? "no principal can" : "only " + eligible.size() + " can ("
                            + String.join(", ", eligible) + ")"));
                }
            }
        }

        private Component component(N cn, String c, Map<String, Role> roles, Map<String, Principal> principals)
                throws PolicyException {
            map(cn, true);
            fields(cn, Set.of("description", "schema", "guards", "emergency"), List.of());
            String description = cn.node.has("description") ? text(cn.child("description")) : "";
            Optional<JsonNode> schema = Optional.empty();
            if (cn.node.has("schema")) {
                N s = cn.child("schema");
                if (!s.node.isObject()) {
                    throw err(s, "a JSON Schema is a map, got " + describe(s.node));
                }
                schema = Optional.of(s.node);
            }
            List<Guard> guards = new ArrayList<>();
            if (cn.node.has("guards")) {
                N gs = cn.child("guards");
                list(gs, true);
                Set<String> names = new LinkedHashSet<>();
                for (N g : gs.elems()) {
                    map(g, true);
                    fields(g, Set.of("name", "expr", "message"), List.of("name", "expr", "message"));
                    String gname = name(g.child("name"), "guard");
                    if (gname.equals(ContentGuards.SCHEMA)) {
                        throw err(g.child("name"), "'schema' is reserved for the component's JSON Schema");
                    }
                    if (!names.add(gname)) {
                        throw err(g.child("name"), "guard '" + gname + "' is declared twice in component '" + c + "'");
                    }
                    guards.add(new Guard(gname, text(g.child("expr")), text(g.child("message"))));
                }
            }
            Optional<Emergency> emergency = Optional.empty();
            if (cn.node.has("emergency")) {
                emergency = Optional.of(emergency(cn.child("emergency"), c, roles, principals));
            }
            return new Component(c, description, schema, guards, emergency);
        }

        private Emergency emergency(N en, String c, Map<String, Role> roles, Map<String, Principal> principals)
                throws PolicyException {
            map(en, true);
            fields(en, Set.of("set", "approvals", "review_within"), List.of("set", "approvals", "review_within"));
            N set = map(en.child("set"), false);
            Map<String, JsonNode> values = new LinkedHashMap<>();
            for (String path : set.fieldNames()) {
                N pn = set.child(path);
                Optional<FieldPath> parsed = FieldPath.parse(path);
                if (parsed.isEmpty()) {
                    throw err(pn, "malformed field path '" + path + "': write dot-separated field names (letters, digits,"
                            + " '-', '_'), like capture.enabled, or a JSON Pointer for other names, like /mirror.v2/enabled");
                }
                if (pn.node.isNull() || pn.node.isContainerNode()) {
                    throw err(pn, "an emergency sets a field to a plain value (string, number or boolean), got "
                            + describe(pn.node));
                }
                for (String other : values.keySet()) {
                    // compared as member-name lists, so capture.enabled and /capture/enabled are one field
                    FieldPath o = FieldPath.parse(other).orElseThrow();
                    if (o.equals(parsed.get())) {
                        throw err(pn, "'" + path + "' and '" + other + "' name the same field");
                    }
                    if (o.isStrictPrefixOf(parsed.get()) || parsed.get().isStrictPrefixOf(o)) {
                        throw err(pn, "'" + path + "' overlaps '" + other + "': an emergency sets leaf fields only");
                    }
                }
                values.put(path, pn.node);
            }
            N an = en.child("approvals");
            ApprovalRule rule = rule(an, roles, true);
            fillable(an, rule, c, roles, principals);
            Duration review = duration(en.child("review_within"));
            return new Emergency(values, rule, review);
        }

        private void separation(N sn, Set<String> componentNames, List<SodSet> sod, List<ProtectedSet> protectedSets)
                throws PolicyException {
            list(sn, true);
            Set<String> names = new LinkedHashSet<>();
            for (N e : sn.elems()) {
                map(e, true);
                boolean isSod = e.node.has("rights") || e.node.has("at_most");
                boolean isProtected = e.node.has("components") || e.node.has("min_coalition");
                if (isSod == isProtected) {
                    throw err(e, "a separation entry has either rights and at_most (a static separation-of-duties set)"
                            + " or components and min_coalition (a protected set)");
                }
                if (isSod) {
                    fields(e, Set.of("name", "rights", "at_most"), List.of("name", "rights", "at_most"));
                } else {
                    fields(e, Set.of("name", "components", "min_coalition"), List.of("name", "components", "min_coalition"));
                }
                String name = name(e.child("name"), "separation entry");
                if (!names.add(name)) {
                    throw err(e.child("name"), "separation entry '" + name + "' is declared twice");
                }
                if (isSod) {
                    N rn = e.child("rights");
                    list(rn, false);
                    List<Right> rights = new ArrayList<>();
                    for (N r : rn.elems()) {
                        Right right;
                        try {
                            right = Right.parse(text(r));
                        } catch (IllegalArgumentException ex) {
                            throw err(r, ex.getMessage());
                        }
                        if (!componentNames.contains(right.component())) {
                            throw err(r, "no component '" + right.component() + "'" + known(componentNames));
                        }
                        if (rights.contains(right)) {
                            throw err(r, "'" + right + "' is listed twice");
                        }
                        rights.add(right);
                    }
                    int atMost = integer(e.child("at_most"));
                    if (atMost < 0 || atMost >= rights.size()) {
                        throw err(e.child("at_most"), "at_most must be between 0 and " + (rights.size() - 1)
                                + " (fewer than the " + rights.size() + " rights listed), got " + atMost);
                    }
                    sod.add(new SodSet(name, rights, atMost));
                } else {
                    N cn = e.child("components");
                    list(cn, false);
                    List<String> comps = new ArrayList<>();
                    for (N c : cn.elems()) {
                        String cname = text(c);
                        if (!componentNames.contains(cname)) {
                            throw err(c, "no component '" + cname + "'" + known(componentNames));
                        }
                        if (comps.contains(cname)) {
                            throw err(c, "'" + cname + "' is listed twice");
                        }
                        comps.add(cname);
                    }
                    int min = integer(e.child("min_coalition"));
                    if (min < 1) {
                        throw err(e.child("min_coalition"), "min_coalition must be at least 1, got " + min);
                    }
                    protectedSets.add(new ProtectedSet(name, comps, min));
                }
            }
        }

        private Timing timing(N tn) throws PolicyException {
            map(tn, true);
            fields(tn, Set.of("pending_ttl", "apply_ttl"), List.of("pending_ttl", "apply_ttl"));
            return new Timing(duration(tn.child("pending_ttl")), duration(tn.child("apply_ttl")));
        }

        // ---------------------------------------------------------------- values

        private Duration duration(N n) throws PolicyException {
            String s = text(n);
            Duration d;
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw err(n, "bad duration '" + s + "': write an ISO-8601 duration in days, hours, minutes"
                        + " or seconds, like P7D or PT24H");
            }
            if (d.isNegative() || d.isZero()) {
                throw err(n, "duration must be positive, got " + s);
            }
            return d;
        }

        private int integer(N n) throws PolicyException {
            if (n.node == null || !n.node.isIntegralNumber() || !n.node.canConvertToInt()) {
                throw err(n, "expected a whole number, got " + describe(n.node));
            }
            return n.node.intValue();
        }

        private String text(N n) throws PolicyException {
            if (n.node == null || !n.node.isTextual()) {
                throw err(n, "expected a string, got " + describe(n.node));
            }
            if (n.node.textValue().isBlank()) {
                throw err(n, "must not be empty");
            }
            return n.node.textValue();
        }

        private String name(N n, String what) throws PolicyException {
            String s = text(n);
            checkName(n, s, what);
            return s;
        }

        private void checkName(N at, String name, String what) throws PolicyException {
            if (name.isEmpty()) {
                throw err(at, "empty " + what + " name");
            }
            if (!NAME.matcher(name).matches()) {
                throw err(at, "bad " + what + " name '" + name + "': " + NAME_RULE);
            }
        }

        private N map(N n, boolean mayBeEmpty) throws PolicyException {
            if (n.missing()) {
                throw err(n, "required field missing");
            }
            if (!n.node.isObject()) {
                throw err(n, "expected a map, got " + describe(n.node));
            }
            if (!mayBeEmpty && n.node.isEmpty()) {
                throw err(n, "must not be empty");
            }
            return n;
        }

        private void list(N n, boolean mayBeEmpty) throws PolicyException {
            if (n.missing()) {
                throw err(n, "required field missing");
            }
            if (!n.node.isArray()) {
                throw err(n, "expected a list, got " + describe(n.node));
            }
            if (!mayBeEmpty && n.node.isEmpty()) {
                throw err(n, "must not be empty");
            }
        }

        /** Refuses unknown fields (naming the allowed ones), then missing required ones. */
        private void fields(N n, Set<String> allowed, List<String> required) throws PolicyException {
            for (Iterator<String> it = n.node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw err(n.child(f), "unknown field '" + f + "'; expected "
                            + allowed.stream().sorted().collect(Collectors.joining(", ")));
                }
            }
            for (String f : required) {
                if (!n.node.has(f)) {
                    throw err(n.child(f), "required field missing");
                }
            }
        }

        private void fieldsAllowed(N n, Set<String> componentNames, String extra) throws PolicyException {
            for (String f : n.fieldNames()) {
                if (!f.equals(extra) && !componentNames.contains(f)) {
                    throw err(n.child(f), "no component '" + f + "': approvals has 'default' and one rule per component"
                            + known(componentNames));
                }
            }
        }

        private static String known(Set<String> names) {
            return " (known: " + String.join(", ", names) + ")";
        }

        private static String describe(JsonNode n) {
            if (n == null || n.isMissingNode()) {
                return "nothing";
            }
            if (n.isNull()) {
                return "null";
            }
            if (n.isObject()) {
                return "a map";
            }
            if (n.isArray()) {
                return "a list";
            }
            if (n.isTextual()) {
                return "the string '" + n.textValue() + "'";
            }
            if (n.isBoolean()) {
                return n.asText();
            }
            return "the number " + n.asText();
        }
    }
}
