package org.foureyes.ledger;

import static org.foureyes.auditlog.EntryType.CHANGE_DECIDED;
import static org.foureyes.auditlog.EntryType.CHANGE_EXPIRED;
import static org.foureyes.auditlog.EntryType.CHANGE_REPORTED;
import static org.foureyes.auditlog.EntryType.CHANGE_REQUESTED;
import static org.foureyes.auditlog.EntryType.CHANGE_SUPERSEDED;
import static org.foureyes.auditlog.EntryType.CHANGE_WITHDRAWN;
import static org.foureyes.auditlog.EntryType.LOG_GENESIS;
import static org.foureyes.auditlog.EntryType.POLICY_ACTIVATED;
import static org.foureyes.auditlog.EntryType.STATEMENT_REFUSED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.foureyes.auditlog.ChainChecker;
import org.foureyes.auditlog.ChainException;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.policy.ChangeState;
import org.foureyes.policy.Component;
import org.foureyes.policy.ContentGuards;
import org.foureyes.policy.DecisionEngine;
import org.foureyes.policy.DecisionKind;
import org.foureyes.policy.EmergencyCheck;
import org.foureyes.policy.EmergencyException;
import org.foureyes.policy.Evaluation;
import org.foureyes.policy.GuardViolation;
import org.foureyes.policy.PendingChange;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.policy.Right;
import org.foureyes.policy.Verdict;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.Statement;
import org.foureyes.statement.StatementException;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.StatementVerifier;
import org.foureyes.statement.VerifyMode;
import org.foureyes.statement.WithdrawalClaims;

/**
 * The change workflow as one deterministic state machine over the log (see docs/ledger.md).
 *
 * <p>The state is a pure fold over log entries: {@link #apply} takes the next entry, re-verifies its
 * statement against the policy in force at that entry (reference time: the entry's {@code time},
 * never a clock), re-derives the transition with the {@link DecisionEngine} and accepts the entry
 * only if its facts are exactly the derived ones. The server uses the very same code to decide what
 * to append: {@link #decide} plans the entries a statement causes without changing anything; the
 * server materialises the drafts (seq, time, prev) and passes each to {@link #apply}, so every
 * check runs again on what is actually logged. The offline verifier and the agents replay the log
 * with {@link #apply} and so check that the server derived exactly what the policy says.
 *
 * <p>{@link #apply} is atomic: an entry it refuses leaves the ledger as it was. Not thread-safe: the
 * server serialises appends anyway.
 */
public final class Ledger {

    /** What policy errors call the genesis policy. */
    static final String GENESIS_POLICY_SOURCE = "genesis policy";
    /** What policy errors call the policy of a change request to {@code policy}. */
    static final String REQUESTED_POLICY_SOURCE = "requested policy";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final VerifyMode ANY_TYPE = VerifyMode.offline(StatementType.CHANGE_REQUEST,
            StatementType.DECISION, StatementType.WITHDRAWAL, StatementType.REPORT, StatementType.ACCESS);
    private static final LongFunction<List<Step>> NOTHING_OWED = seq -> List.of();
    private static final int MAX_SHOWN = 200;

    /** JSON equality with numbers compared by value (a parsed 5 is an int, a derived 5 a long). */
    private static final Comparator<JsonNode> SAME_JSON = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
    };

    private final StatementVerifier verifier;
    private final RequestedPolicies requestedPolicies;

    private LogEntry last;
    private long size;
    private String origin;
    private VerifierKey logKey;
    private PolicyInForce policy;
    private final List<PolicyInForce> history = new ArrayList<>();
    private final Map<String, ComponentState> components = new LinkedHashMap<>();
    private final TreeMap<Long, ChangeRecord> changes = new TreeMap<>();
    private final TreeSet<Long> open = new TreeSet<>();
    private final Set<String> jtis = new HashSet<>();
    private final ArrayDeque<Step> owed = new ArrayDeque<>();

    /**
     * The plan {@link #decide} made last, with what it was made from. A plan is a pure function of
     * the statement, the expected type, the entry time and the ledger's state, and only
     * {@link #apply} changes the state (and {@code size} with it), so when {@code apply} then
     * replans exactly this statement at exactly this size and time it would get this same plan:
     * the server's decide-then-apply verifies and plans each statement once instead of twice.
     */
    private record Planned(String compact, StatementType expected, Instant time, long size, int openLimit, Plan plan) {
    }

    private Planned lastPlan;

    /** An empty ledger, waiting for the {@code log.genesis} entry. */
    public Ledger() {
        this(new StatementVerifier());
    }

    /**
     * An empty ledger that verifies statements with {@code verifier} (for example one sharing a
     * {@link org.foureyes.statement.SignatureCache} with the server's request threads).
     */
    public Ledger(StatementVerifier verifier) {
        this(verifier, new RequestedPolicies(16));
    }

    /**
     * As {@link #Ledger(StatementVerifier)}, taking the verdicts on requested policies from
     * {@code requestedPolicies} (shared with the server's request threads, which analyse a
     * requested policy before its statement reaches the writer).
     */
    public Ledger(StatementVerifier verifier, RequestedPolicies requestedPolicies) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.requestedPolicies = Objects.requireNonNull(requestedPolicies, "requestedPolicies");
    }

    /** Replays a whole log from its genesis entry. */
    public static Ledger replay(Iterable<LogEntry> entries) throws LedgerException {
        Ledger ledger = new Ledger();
        for (LogEntry e : entries) {
            ledger.apply(e);
        }
        return ledger;
    }

    /** The {@code log.genesis} draft for a new log; {@code logKey}'s name must be the origin. */
    public static Draft genesis(String origin, VerifierKey logKey, Policy policy) {
        ObjectNode facts = genesisFacts(origin, logKey.toString(), policy.document(), PolicyHash.sha256Hex(policy));
        return new Draft(LOG_GENESIS, null, seq -> facts);
    }

    private static ObjectNode genesisFacts(String origin, String logKey, JsonNode policy, String policySha256) {
        ObjectNode f = F.objectNode();
        f.put("origin", origin);
        f.put("log_key", logKey);
        f.set("policy", policy.deepCopy());
        f.put("policy_sha256", policySha256);
        return f;
    }

    // ================================================================ the machinery

    @FunctionalInterface
    private interface Commit {
        void run(long seq, Instant time);
    }

    /** What the ledger makes of something: an entry it derives ({@link Step}) or a refusal ({@link Denied}). */
    private sealed interface Plan permits Step, Denied {
    }

    /** A derived entry: what it must say, what it does, and which entries it makes owed. */
    private static final class Step implements Plan {
        final EntryType type;
        final String statement;
        final LongFunction<ObjectNode> facts;
        final Commit commit;
        final LongFunction<List<Step>> owed;
        final Result result;
        /** The engine's explanation, for messages about a wrong facts.state. */
        final String explanation;

        Step(EntryType type, String statement, LongFunction<ObjectNode> facts, Commit commit,
                LongFunction<List<Step>> owed, Result result, String explanation) {
            this.type = type;
            this.statement = statement;
            this.facts = facts;
            this.commit = commit;
            this.owed = owed;
            this.result = result;
            this.explanation = explanation;
        }

        Draft draft() {
            return new Draft(type, statement, facts);
        }
    }

    /**
     * A refusal.
     *
     * @param logged whether a {@code statement.refused} entry records it
     * @param expected the statement type expected where the statement was sent
     * @param jti the statement's jti, if it can be read (it counts as seen once logged)
     */
    private record Denied(Refusal refusal, boolean logged, StatementType expected, String jti, int openLimit)
            implements Plan {
        Denied(Refusal refusal, boolean logged, StatementType expected, String jti) {
            this(refusal, logged, expected, jti, 0);
        }
    }

    /** The refusal slug of a request over the server's limit of open changes per requester. */
    public static final String OPEN_LIMIT = "open-limit";

    // ================================================================ apply: the verifying replay

    /**
     * Applies the next log entry, after checking that it continues the hash chain and that it is
     * exactly what the ledger derives from its statement, the policy in force and the state.
     *
     * @throws LedgerException naming the entry and what was expected and found; the ledger is then
     *     unchanged
     */
    public void apply(LogEntry e) throws LedgerException {
        Objects.requireNonNull(e, "entry");
        try {
            applyChecked(e);
        } finally {
            lastPlan = null; // a plan is good for the apply right after its decide, and only that one
        }
    }

    /** The plan of {@code compact} now: the one {@link #decide} just made for it, or a new one. */
    private Plan plan(String compact, StatementType expected, Instant time, int openLimit) {
        Planned m = lastPlan;
        if (m != null && m.size() == size && m.expected() == expected && m.time().equals(time)
                && holdsUnder(m, openLimit) && m.compact().equals(compact)) {
            return m.plan();
        }
        return planStatement(compact, expected, time, openLimit);
    }

    /**
     * Whether a plan made under one open-changes limit is the plan under {@code openLimit}: the limit
     * only turns an acceptance into an {@value #OPEN_LIMIT} refusal, so an acceptance holds without
     * a limit (the replay of the accepted entry) and any other refusal holds under every limit.
     */
    private static boolean holdsUnder(Planned m, int openLimit) {
        if (m.openLimit() == openLimit) {
            return true;
        }
        return m.plan() instanceof Step ? openLimit == 0 : !OPEN_LIMIT.equals(((Denied) m.plan()).refusal().problem());
    }

    private void applyChecked(LogEntry e) throws LedgerException {
        try {
            (last == null ? ChainChecker.fromGenesis() : ChainChecker.after(last)).check(e);
        } catch (ChainException ce) {
            throw fail(e, ce.getMessage().replaceFirst("^entry -?\\d+: ", ""));
        }
        Step step;
        boolean wasOwed = false;
        if (size == 0) {
            if (e.entryType() != LOG_GENESIS) {
                throw fail(e, "the first entry of a log must be log.genesis");
            }
            step = genesisStep(e);
        } else if (!owed.isEmpty()) {
            step = owed.peek();
            if (e.entryType() != step.type) {
                throw fail(e, "a " + step.type + " entry " + describeOwed(step) + " is owed here (the entries a "
                        + "policy activation or an applied change makes owed follow it at once), found " + e.type());
            }
            wasOwed = true;
        } else {
            step = switch (e.entryType()) {
                case LOG_GENESIS -> throw fail(e, "a log has one log.genesis entry, at seq 0");
                case CHANGE_REQUESTED, CHANGE_DECIDED, CHANGE_WITHDRAWN, CHANGE_REPORTED -> {
                    Plan p = plan(e.statement().orElseThrow(), expectedType(e.entryType()), e.time(), 0);
                    if (p instanceof Denied d) {
                        throw fail(e, "the ledger refuses its statement (" + d.refusal().problem() + "): "
                                + d.refusal().reason());
                    }
                    yield (Step) p;
                }
                case STATEMENT_REFUSED -> refusedStep(e);
                case CHANGE_EXPIRED -> expiredStep(e);
                case CHANGE_SUPERSEDED -> throw fail(e, "no change.superseded is owed here: a change is superseded"
                        + " only right after another change of its component was applied, or a policy was activated");
                case POLICY_ACTIVATED -> throw fail(e, "no policy.activated is owed here: a policy is activated only"
                        + " right after the decision that approved a change to policy");
            };
        }
        if (step.type != e.entryType()) {
            throw fail(e, "the ledger derives a " + step.type + " entry here");
        }
        compareFacts(e, step);

        // ---- accepted: from here on nothing may fail ----
        if (wasOwed) {
            owed.poll();
        }
        step.commit.run(e.seq(), e.time());
        owed.addAll(step.owed.apply(e.seq()));
        last = e;
        size++;
    }

    private static StatementType expectedType(EntryType t) {
        return switch (t) {
            case CHANGE_REQUESTED -> StatementType.CHANGE_REQUEST;
            case CHANGE_DECIDED -> StatementType.DECISION;
            case CHANGE_WITHDRAWN -> StatementType.WITHDRAWAL;
            case CHANGE_REPORTED -> StatementType.REPORT;
            default -> throw new IllegalArgumentException(t + " carries no statement of its own");
        };
    }

    private static EntryType entryTypeFor(StatementType t) {
        return switch (t) {
            case CHANGE_REQUEST -> CHANGE_REQUESTED;
            case DECISION -> CHANGE_DECIDED;
            case WITHDRAWAL -> CHANGE_WITHDRAWN;
            case REPORT -> CHANGE_REPORTED;
            case ACCESS -> throw new IllegalArgumentException("access tokens are never logged");
        };
    }

    private static LedgerException fail(LogEntry e, String detail) {
        return new LedgerException(e.seq(), e.type(), detail);
    }

    private static String describeOwed(Step s) {
        JsonNode change = s.facts.apply(-1).get("change");
        return change == null ? "" : "for change " + change.asText();
    }

    private void compareFacts(LogEntry e, Step step) throws LedgerException {
        ObjectNode derived = step.facts.apply(e.seq());
        ObjectNode found = e.facts();
        if (derived.equals(SAME_JSON, found)) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = derived.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            String k = m.getKey();
            JsonNode want = m.getValue();
            JsonNode got = found.get(k);
            if (got == null) {
                throw fail(e, "facts." + k + " is missing; the ledger derives " + show(want));
            }
            if (!want.equals(SAME_JSON, got)) {
                if (k.equals("state")) {
                    throw fail(e, "facts.state is " + show(got) + " but the policy in force gives " + show(want)
                            + (step.explanation == null || step.explanation.isEmpty() ? "" : ": " + step.explanation));
                }
                throw fail(e, "facts." + k + " is " + show(got) + " but the ledger derives " + show(want));
            }
        }
        Iterator<String> names = found.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!derived.has(k)) {
                throw fail(e, "facts has a member " + k + " (" + show(found.get(k)) + ") that the ledger does not derive");
            }
        }
        throw fail(e, "facts are " + show(found) + " but the ledger derives " + show(derived));
    }

    private static String show(JsonNode n) {
        String s = n.toString();
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "... (" + s.length() + " characters)";
    }

    private static String quote(String s) {
        return s == null ? "null" : F.textNode(s).toString();
    }

    // ---------------------------------------------------------------- genesis

    private Step genesisStep(LogEntry e) throws LedgerException {
        ObjectNode f = e.facts();
        String org = text(e, f, "origin");
        String keyText = text(e, f, "log_key");
        VerifierKey key;
        try {
            key = VerifierKey.parse(keyText);
        } catch (KeyFormatException ke) {
            throw fail(e, "facts.log_key is not a verifier key: " + ke.getMessage());
        }
        if (!key.name().equals(org)) {
            throw fail(e, "the log key's name is " + quote(key.name()) + " but the origin is " + quote(org)
                    + "; a log's key name equals its origin");
        }
        JsonNode doc = f.get("policy");
        if (doc == null || !doc.isObject()) {
            throw fail(e, "facts.policy must be the policy as a JSON object, found "
                    + (doc == null ? "nothing" : show(doc)));
        }
        Policy p;
        try {
            p = PolicyLoader.fromJson(doc, GENESIS_POLICY_SOURCE);
        } catch (PolicyException pe) {
            throw fail(e, "the genesis policy is refused: " + pe.getMessage());
        }
        String hash = PolicyHash.sha256Hex(p);
        ObjectNode derived = genesisFacts(org, key.toString(), p.document(), hash);
        Commit commit = (seq, t) -> {
            origin = org;
            logKey = key;
            PolicyInForce pif = new PolicyInForce(p, seq, t, null);
            policy = pif;
            history.add(pif);
            for (String name : p.components().keySet()) {
                components.putIfAbsent(name, ComponentState.empty(name));
            }
            components.put(Policy.POLICY_COMPONENT,
                    new ComponentState(Policy.POLICY_COMPONENT, p.document(), hash, 1, null, t, null, null));
        };
        return new Step(LOG_GENESIS, null, seq -> derived, commit, NOTHING_OWED, null, null);
    }

    private static String text(LogEntry e, ObjectNode f, String member) throws LedgerException {
        JsonNode n = f.get(member);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw fail(e, "facts." + member + " must be a non-empty string, found " + (n == null ? "nothing" : show(n)));
        }
        return n.textValue();
    }

    // ---------------------------------------------------------------- statements

    /**
     * Verifies a statement and plans its entry, without changing anything: the shared core of
     * {@link #apply} and {@link #decide}.
     */
    private Plan planStatement(String compact, StatementType expected, Instant time, int openLimit) {
        Statement st;
        try {
            st = verifier.verify(compact, policy.policy(), origin, time, ANY_TYPE);
        } catch (StatementException ex) {
            boolean access = StatementType.ACCESS.typ().equals(payloadString(compact, "typ"));
            String jti = ex.authentic() ? plausibleJti(payloadString(compact, "jti")) : null;
            return new Denied(new Refusal(ex.getMessage(), ex.reason().slug(), ex.authentic()),
                    ex.authentic() && !access, expected, jti);
        }
        if (st.type() == StatementType.ACCESS) {
            return new Denied(new Refusal("an access token (" + StatementType.ACCESS.typ() + ") is a bearer token for"
                    + " reads: it changes nothing and is never logged; sign a " + expected.typ() + " instead",
                    "access-token", true), false, expected, null);
        }
        if (st.type() != expected) {
            return deny(st, expected, "wrong-type", "typ is " + st.type().typ() + " but " + expected.typ()
                    + " is expected here; send it to the endpoint for " + st.type().typ());
        }
        if (jtis.contains(st.jti())) {
            return deny(st, expected, "replayed", "jti " + quote(st.jti()) + " of this " + st.type().typ() + " by "
                    + st.keyId() + " is already in the log; a statement is accepted once. Sign a new statement"
                    + " (a new jti) if you mean to repeat it");
        }
        Plan p = switch (expected) {
            case CHANGE_REQUEST -> planRequest(st);
            case DECISION -> planDecision(st);
            case WITHDRAWAL -> planWithdrawal(st);
            case REPORT -> planReport(st);
            case ACCESS -> throw new IllegalStateException("unreachable");
        };
        return p instanceof Step && expected == StatementType.CHANGE_REQUEST ? overOpenLimit(st, openLimit).orElse(p) : p;
    }

    /**
     * The server's limit of open changes per requester (0: none), checked last, on a request the
     * policy accepts: one principal cannot flood the open set. The limit is the server's, so the
     * {@code statement.refused} entry carries it ({@code facts.limit}) and a replay checks the count
     * against it. An emergency request is never held back (it can only narrow what is monitored).
     */
    private Optional<Plan> overOpenLimit(Statement st, int openLimit) {
        if (openLimit <= 0 || st.claims(ChangeRequestClaims.class).emergency()) {
            return Optional.empty();
        }
        String iss = st.issuer();
        long mine = open.stream().filter(id -> iss.equals(changes.get(id).requester())).count();
        if (mine < openLimit) {
            return Optional.empty();
        }
        return Optional.of(new Denied(new Refusal(iss + " has " + mine + " open changes (requested or approved, not"
                + " yet applied or closed) and this log takes at most " + openLimit + " per requester; withdraw one"
                + " or wait until one is decided, then request again", OPEN_LIMIT, true), true,
                StatementType.CHANGE_REQUEST, st.jti(), openLimit));
    }

    private static Denied deny(Statement st, StatementType expected, String problem, String reason) {
        return new Denied(new Refusal(reason, problem, true), true, expected, st.jti());
    }

    /** A member of the (unverified) payload as a string, or null: only to classify refusals. */
    private static String payloadString(String compact, String member) {
        try {
            String[] parts = compact.split("\\.", -1);
            if (parts.length != 3) {
                return null;
            }
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode n = MAPPER.readTree(new String(payload, StandardCharsets.UTF_8)).get(member);
            return n != null && n.isTextual() ? n.textValue() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String plausibleJti(String jti) {
        if (jti == null || jti.isEmpty() || jti.length() > StatementVerifier.MAX_JTI_LENGTH) {
            return null;
        }
        for (int i = 0; i < jti.length(); i++) {
            char c = jti.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return null;
            }
        }
        return jti;
    }

    private ComponentState componentState(String name) {
        ComponentState cs = components.get(name);
        return cs != null ? cs : ComponentState.empty(name);
    }

    private static ObjectNode changeFacts(long change, String state) {
        ObjectNode f = F.objectNode();
        f.put("change", change);
        f.put("state", state);
        return f;
    }

    private static Evaluation evaluate(PolicyInForce pif, PendingChange pc) {
        try {
            return pif.engine().evaluate(pc);
        } catch (IllegalArgumentException e) {
            return null; // the policy in force no longer has the component (or its emergency)
        }
    }

    private String roles(String principal) {
        List<String> roles = policy.policy().principals().get(principal).roles();
        return roles.isEmpty() ? "none" : String.join(", ", roles);
    }

    // ---- change.requested

    private Plan planRequest(Statement st) {
        ChangeRequestClaims c = st.claims(ChangeRequestClaims.class);
        String comp = c.component();
        String iss = st.issuer();
        PolicyInForce pif = policy;
        DecisionEngine engine = pif.engine();
        Verdict may = engine.mayRequest(iss, comp, c.emergency());
        if (may.refused()) {
            String problem = !pif.policy().components().containsKey(comp) ? "unknown-component"
                    : !engine.holds(iss, Right.Action.REQUEST, comp) ? "no-right" : "no-emergency";
            return deny(st, StatementType.CHANGE_REQUEST, problem, may.reason());
        }
        boolean isPolicy = comp.equals(Policy.POLICY_COMPONENT);
        ComponentState cs = componentState(comp);
        String base = c.base().orElse(null);
        if (!Objects.equals(base, cs.configSha256())) {
            return deny(st, StatementType.CHANGE_REQUEST, "stale-base", "base is " + (base == null ? "null" : base)
                    + " but the current configuration of " + comp + " is "
                    + (cs.configSha256() == null ? "none (base null)" : cs.configSha256()) + " (version " + cs.version()
                    + "); request the change again against the current configuration");
        }
        JsonNode config = c.config();
        Policy proposed = null;
        if (isPolicy) {
            try {
                proposed = requestedPolicies.load(config);
            } catch (PolicyException pe) {
                return deny(st, StatementType.CHANGE_REQUEST, "policy-refused", "the requested policy is refused: "
                        + pe.getMessage());
            }
        } else {
            JsonNode current = cs.config();
            List<GuardViolation> violations = pif.guards(comp).check(config, current,
                    ContentGuards.request(iss, comp, c.reason(), c.emergency()));
            if (!violations.isEmpty()) {
                List<String> parts = new ArrayList<>(violations.size());
                for (GuardViolation v : violations) {
                    parts.add(v.toString());
                }
                return deny(st, StatementType.CHANGE_REQUEST, "guard-failed", "the configuration of " + comp
                        + " breaks " + (parts.size() == 1 ? "a guard: " : parts.size() + " guards: ")
                        + String.join("; ", parts));
            }
            if (c.emergency()) {
                Component component = pif.policy().components().get(comp);
                try {
                    EmergencyCheck.check(component.emergency().orElseThrow(), current, config);
                } catch (EmergencyException ee) {
                    return deny(st, StatementType.CHANGE_REQUEST, "emergency-refused",
                            "the emergency change is refused: " + ee.getMessage());
                }
            }
        }
        PendingChange pc = PendingChange.of(comp, iss, c.emergency(), st.issuedAt());
        Evaluation ev = engine.evaluate(pc);
        ChangeState state = ev.state();
        String configHash = st.configSha256().orElseThrow();
        Policy proposedPolicy = proposed;
        String compact = st.compact();
        Commit commit = (seq, t) -> {
            ChangeRecord.Builder b = new ChangeRecord.Builder();
            b.id = seq;
            b.component = comp;
            b.requester = iss;
            b.requestStatement = compact;
            b.requestSha256 = st.sha256Hex();
            b.requestJti = st.jti();
            b.config = config;
            b.configSha256 = configHash;
            b.base = base;
            b.reason = c.reason();
            b.emergency = c.emergency();
            b.requestIat = st.issuedAt();
            b.requestedAt = t;
            b.policySha256 = pif.sha256();
            b.state = state;
            b.approvedAt = ev.approvedAt().orElse(null);
            b.review = ev.review();
            b.explanation = ev.explanation();
            b.events.add(new ChangeRecord.Event(seq, t, CHANGE_REQUESTED, compact, state.word()));
            b.proposedPolicy = proposedPolicy;
            changes.put(seq, b.build());
            if (state.isOpen()) {
                open.add(seq);
            }
            jtis.add(st.jti());
        };
        List<Long> others = isPolicy && state == ChangeState.APPROVED ? supersedable(-1, null) : List.of();
        LongFunction<List<Step>> owedAfter = isPolicy && state == ChangeState.APPROVED
                ? seq -> activation(seq, proposedPolicy, others) : NOTHING_OWED;
        return new Step(CHANGE_REQUESTED, compact, seq -> {
            ObjectNode f = F.objectNode();
            f.put("change", seq);
            f.put("component", comp);
            f.put("state", state.word());
            return f;
        }, commit, owedAfter, new Result(null, state.word(), ev.explanation()), ev.explanation());
    }

    // ---- change.decided

    private Plan planDecision(Statement st) {
        DecisionClaims d = st.claims(DecisionClaims.class);
        long id = d.change();
        String iss = st.issuer();
        ChangeRecord r = changes.get(id);
        if (r == null) {
            return deny(st, StatementType.DECISION, "unknown-change", noSuchChange(id));
        }
        if (!d.request().equals(r.requestSha256())) {
            return deny(st, StatementType.DECISION, "request-mismatch", requestMismatch("decision", d.request(), r));
        }
        DecisionKind kind = d.decision() == DecisionClaims.Decision.APPROVE ? DecisionKind.APPROVE : DecisionKind.REJECT;
        boolean review = r.emergency() && (r.state() == ChangeState.APPROVED || r.state() == ChangeState.APPLIED);
        if (r.state() != ChangeState.REQUESTED && !review) {
            return deny(st, StatementType.DECISION, "closed-change", "change " + id + " is "
                    + (r.state() == ChangeState.APPROVED ? "already approved" : r.state().word())
                    + " and takes no more decisions");
        }
        PolicyInForce pif = policy;
        DecisionEngine engine = pif.engine();
        Component comp = pif.policy().components().get(r.component());
        if (comp == null || (r.emergency() && comp.emergency().isEmpty())) {
            return deny(st, StatementType.DECISION, "closed-change", "the policy in force has no "
                    + (comp == null ? "component " : "emergency for ") + r.component() + ", so change " + id
                    + " can no longer be decided");
        }
        PendingChange pc = r.pending();
        Verdict may = engine.mayDecide(pc, iss, kind);
        if (may.refused()) {
            String problem;
            if (iss.equals(r.requester())) {
                problem = "self-approval";
            } else if (!engine.holds(iss, Right.Action.APPROVE, r.component())) {
                problem = "no-right";
            } else if (r.decisions().stream().anyMatch(x -> x.principal().equals(iss))) {
                problem = "already-decided";
            } else {
                problem = "closed-change";
            }
            return deny(st, StatementType.DECISION, problem, "change " + id + ": " + may.reason());
        }
        if (r.state() == ChangeState.REQUESTED && engine.pendingExpired(pc, st.issuedAt())) {
            Instant deadline = r.requestIat().plus(pif.policy().timing().pendingTtl());
            return deny(st, StatementType.DECISION, "pending-expired", "change " + id + " expired at " + deadline
                    + " (pending_ttl " + pif.policy().timing().pendingTtl() + " after its request's iat "
                    + r.requestIat() + "), and the decision was signed at " + st.issuedAt()
                    + "; the change must be requested again");
        }
        Evaluation ev = engine.evaluate(pc.with(new org.foureyes.policy.Decision(iss, kind, st.issuedAt())));
        ChangeState state = ev.state();
        String word;
        String reviewWord = null;
        if (review) {
            reviewWord = reviewWord(ev.review());
            word = ev.review() == Evaluation.Review.APPROVED || ev.review() == Evaluation.Review.REJECTED
                    ? "reviewed" : r.state().word();
        } else {
            word = state.word();
        }
        ObjectNode facts = changeFacts(id, word);
        if (reviewWord != null) {
            facts.put("review", reviewWord);
        }
        String compact = st.compact();
        Commit commit = (seq, t) -> {
            ChangeRecord cur = changes.get(id);
            ChangeRecord.Builder b = cur.toBuilder();
            b.decisions.add(new ChangeRecord.DecisionRecord(seq, iss, kind, st.issuedAt(), st.sha256Hex(), compact));
            b.state = state;
            b.approvedAt = ev.approvedAt().orElse(null);
            b.review = ev.review();
            b.explanation = ev.explanation();
            if (!state.isOpen() && b.closedAt == null && state != ChangeState.APPLIED) {
                b.closedAt = t;
            }
            b.events.add(new ChangeRecord.Event(seq, t, CHANGE_DECIDED, compact, word));
            changes.put(id, b.build());
            if (!state.isOpen()) {
                open.remove(id);
            }
            jtis.add(st.jti());
        };
        boolean activates = !review && state == ChangeState.APPROVED && r.component().equals(Policy.POLICY_COMPONENT);
        List<Long> others = activates ? supersedable(id, null) : List.of();
        LongFunction<List<Step>> owedAfter = activates ? seq -> activation(id, r.proposedPolicy(), others) : NOTHING_OWED;
        return new Step(CHANGE_DECIDED, compact, seq -> facts, commit, owedAfter,
                new Result(id, word, ev.explanation()), ev.explanation());
    }

    private static String reviewWord(Evaluation.Review review) {
        return switch (review) {
            case APPROVED -> "approved";
            case REJECTED -> "rejected";
            case PENDING -> "pending";
            case NOT_REQUIRED -> "not-required";
        };
    }

    private static String noSuchChange(long id) {
        return "there is no change " + id + " in this log (a change id is the seq of its change.requested entry)";
    }

    private static String requestMismatch(String what, String claimed, ChangeRecord r) {
        return "the " + what + "'s request is " + claimed + " but the request statement of change " + r.id()
                + " has SHA-256 " + r.requestSha256() + "; sign for the request you have checked";
    }

    // ---- change.withdrawn

    private Plan planWithdrawal(Statement st) {
        WithdrawalClaims w = st.claims(WithdrawalClaims.class);
        long id = w.change();
        String iss = st.issuer();
        ChangeRecord r = changes.get(id);
        if (r == null) {
            return deny(st, StatementType.WITHDRAWAL, "unknown-change", noSuchChange(id));
        }
        if (!w.request().equals(r.requestSha256())) {
            return deny(st, StatementType.WITHDRAWAL, "request-mismatch", requestMismatch("withdrawal", w.request(), r));
        }
        if (!iss.equals(r.requester())) {
            return deny(st, StatementType.WITHDRAWAL, "not-requester", "only the requester " + r.requester()
                    + " may withdraw change " + id + "; " + iss + " may reject it instead, if eligible");
        }
        if (!r.state().isOpen()) {
            return deny(st, StatementType.WITHDRAWAL, "closed-change", "change " + id + " is " + r.state().word()
                    + "; only a requested or approved change can be withdrawn");
        }
        return closing(st, r, CHANGE_WITHDRAWN, ChangeState.WITHDRAWN, null);
    }

    /** A statement-caused entry that closes a change: withdrawn or failed. */
    private Step closing(Statement st, ChangeRecord r, EntryType type, ChangeState state, ComponentContact contact) {
        long id = r.id();
        Evaluation ev = evaluate(policy, r.pending().withOutcome(state));
        String explanation = ev != null ? ev.explanation() : state.word();
        String compact = st.compact();
        Commit commit = (seq, t) -> {
            ChangeRecord.Builder b = changes.get(id).toBuilder();
            b.state = state;
            b.closedAt = t;
            b.review = ev != null ? ev.review() : Evaluation.Review.NOT_REQUIRED;
            b.explanation = explanation;
            b.events.add(new ChangeRecord.Event(seq, t, type, compact, state.word()));
            changes.put(id, b.build());
            open.remove(id);
            jtis.add(st.jti());
            if (contact != null) {
                contact.run(t);
            }
        };
        return new Step(type, compact, seq -> changeFacts(id, state.word()), commit, NOTHING_OWED,
                new Result(id, state.word(), explanation), explanation);
    }

    @FunctionalInterface
    private interface ComponentContact {
        void run(Instant time);
    }

    // ---- change.reported

    private Plan planReport(Statement st) {
        ReportClaims rc = st.claims(ReportClaims.class);
        String comp = rc.component();
        String iss = st.issuer();
        long id = rc.change();
        PolicyInForce pif = policy;
        DecisionEngine engine = pif.engine();
        if (comp.equals(Policy.POLICY_COMPONENT)) {
            return deny(st, StatementType.REPORT, "no-agent", "the policy takes effect when it is activated;"
                    + " no agent reports on it");
        }
        if (!pif.policy().components().containsKey(comp)) {
            return deny(st, StatementType.REPORT, "unknown-component", "there is no component " + comp
                    + " in policy " + pif.policy().name());
        }
        if (!engine.holds(iss, Right.Action.REPORT, comp)) {
            return deny(st, StatementType.REPORT, "no-right", iss + " (roles: " + roles(iss)
                    + ") holds no role with the report right on " + comp);
        }
        ChangeRecord r = changes.get(id);
        if (r == null) {
            return deny(st, StatementType.REPORT, "unknown-change", noSuchChange(id));
        }
        if (!r.component().equals(comp)) {
            return deny(st, StatementType.REPORT, "wrong-component", "change " + id + " is a change to "
                    + r.component() + ", not to " + comp);
        }
        ComponentState cs = componentState(comp);
        switch (rc.status()) {
            case FAILED -> {
                if (r.state() != ChangeState.APPROVED) {
                    return deny(st, StatementType.REPORT, "not-approved", "change " + id + " is " + r.state().word()
                            + "; only an approved change can fail to apply");
                }
                return closing(st, r, CHANGE_REPORTED, ChangeState.FAILED,
                        t -> components.put(comp, componentState(comp).contact(t, false)));
            }
            case DRIFT -> {
                String word = r.state().word();
                ObjectNode facts = changeFacts(id, word);
                facts.put("drift", true);
                String explanation = "drift: " + iss + " reports configuration " + rc.applied() + " in place, the log's"
                        + " current configuration of " + comp + " is "
                        + (cs.configSha256() == null ? "none" : cs.configSha256());
                String compact = st.compact();
                Commit commit = (seq, t) -> {
                    ChangeRecord.Builder b = changes.get(id).toBuilder();
                    b.events.add(new ChangeRecord.Event(seq, t, CHANGE_REPORTED, compact, word));
                    changes.put(id, b.build());
                    components.put(comp, componentState(comp).contact(t, true));
                    jtis.add(st.jti());
                };
                return new Step(CHANGE_REPORTED, compact, seq -> facts, commit, NOTHING_OWED,
                        new Result(id, word, explanation), explanation);
            }
            case APPLIED -> {
                // handled below
            }
        }
        if (r.state() != ChangeState.APPROVED) {
            return deny(st, StatementType.REPORT, "not-approved", "change " + id + " is " + r.state().word()
                    + "; only an approved change can be applied");
        }
        if (!rc.applied().equals(r.configSha256())) {
            return deny(st, StatementType.REPORT, "config-mismatch", "the report says the configuration in place has"
                    + " SHA-256 " + rc.applied() + ", but change " + id + "'s configuration has SHA-256 "
                    + r.configSha256());
        }
        if (!Objects.equals(r.baseOrNull(), cs.configSha256())) {
            return deny(st, StatementType.REPORT, "stale-base", "change " + id + " was requested against base "
                    + (r.baseOrNull() == null ? "null" : r.baseOrNull()) + ", but the current configuration of "
                    + comp + " is " + (cs.configSha256() == null ? "none" : cs.configSha256()));
        }
        if (cs.lastAppliedChange() != null && id <= cs.lastAppliedChange()) {
            return deny(st, StatementType.REPORT, "out-of-order", "change " + id + " is not above change "
                    + cs.lastAppliedChange() + ", the last one applied to " + comp);
        }
        Instant approvedAt = r.approvedAt().orElseThrow();
        if (engine.approvalExpired(approvedAt, st.issuedAt())) {
            return deny(st, StatementType.REPORT, "apply-expired", "the approval of change " + id + " expired at "
                    + approvedAt.plus(pif.policy().timing().applyTtl()) + " (apply_ttl "
                    + pif.policy().timing().applyTtl() + " after it was approved at " + approvedAt
                    + "), and the report was signed at " + st.issuedAt());
        }
        PendingChange applied = r.pending().withOutcome(ChangeState.APPLIED);
        Evaluation ev = engine.evaluate(applied);
        String compact = st.compact();
        JsonNode config = r.configShared();
        String configHash = r.configSha256();
        Commit commit = (seq, t) -> {
            ChangeRecord.Builder b = changes.get(id).toBuilder();
            b.state = ChangeState.APPLIED;
            b.tookEffectAt = t;
            b.review = ev.review();
            b.explanation = ev.explanation();
            b.events.add(new ChangeRecord.Event(seq, t, CHANGE_REPORTED, compact, ChangeState.APPLIED.word()));
            if (r.emergency()) {
                b.reviewDue = engine.reviewDeadline(applied, t).orElse(null);
            }
            changes.put(id, b.build());
            open.remove(id);
            components.put(comp, componentState(comp).applied(config, configHash, id, t, true));
            jtis.add(st.jti());
        };
        String reason = "change " + id + " to " + comp + " was applied, so the base of this change is no longer the"
                + " current configuration; request it again against the new one";
        List<Long> others = supersedable(id, comp);
        return new Step(CHANGE_REPORTED, compact, seq -> changeFacts(id, ChangeState.APPLIED.word()), commit,
                seq -> superseding(others, reason), new Result(id, ChangeState.APPLIED.word(), ev.explanation()),
                ev.explanation());
    }

    // ---------------------------------------------------------------- statement.refused

    private Step refusedStep(LogEntry e) throws LedgerException {
        JsonNode exp = e.facts().get("expected");
        StatementType expected = exp != null && exp.isTextual()
                ? StatementType.fromTyp(exp.textValue()).filter(t -> t != StatementType.ACCESS).orElse(null) : null;
        if (expected == null) {
            throw fail(e, "facts.expected must name the statement type expected where the statement was sent ("
                    + StatementType.CHANGE_REQUEST.typ() + ", " + StatementType.DECISION.typ() + ", "
                    + StatementType.WITHDRAWAL.typ() + " or " + StatementType.REPORT.typ() + "), found "
                    + (exp == null ? "nothing" : show(exp)));
        }
        String compact = e.statement().orElseThrow();
        JsonNode lim = e.facts().get("limit");
        if (lim != null && !(lim.isIntegralNumber() && lim.canConvertToInt() && lim.intValue() > 0)) {
            throw fail(e, "facts.limit, when present, must be the positive limit of open changes per requester,"
                    + " found " + show(lim));
        }
        Plan p = plan(compact, expected, e.time(), lim == null ? 0 : lim.intValue());
        if (p instanceof Step s) {
            throw fail(e, "the statement is logged as refused, but the policy in force accepts it (as a " + s.type
                    + " entry with state " + quote(s.result.state()) + ": " + s.result.explanation() + ")");
        }
        Denied d = (Denied) p;
        if (!d.logged()) {
            throw fail(e, d.refusal().authentic()
                    ? "an access token is never logged"
                    : "a statement that is not authentically signed by a principal of the policy in force leaves no"
                            + " trace in the log (" + d.refusal().problem() + ": " + d.refusal().reason() + ")");
        }
        return refusedStep(compact, d);
    }

    private Step refusedStep(String compact, Denied d) {
        ObjectNode facts = F.objectNode();
        facts.put("reason", d.refusal().reason());
        facts.put("problem", d.refusal().problem());
        facts.put("expected", d.expected().typ());
        if (d.openLimit() > 0) {
            facts.put("limit", d.openLimit());
        }
        Commit commit = (seq, t) -> {
            if (d.jti() != null) {
                jtis.add(d.jti());
            }
        };
        return new Step(STATEMENT_REFUSED, compact, seq -> facts, commit, NOTHING_OWED, null, null);
    }

    // ---------------------------------------------------------------- change.expired

    private Step expiredStep(LogEntry e) throws LedgerException {
        JsonNode c = e.facts().get("change");
        if (c == null || !c.isIntegralNumber() || !c.canConvertToLong()) {
            throw fail(e, "facts.change must be a change id, found " + (c == null ? "nothing" : show(c)));
        }
        Plan p = planExpiry(c.longValue(), e.time());
        if (p instanceof Denied d) {
            throw fail(e, d.refusal().reason());
        }
        return (Step) p;
    }

    private Plan planExpiry(long id, Instant time) {
        ChangeRecord r = changes.get(id);
        if (r == null) {
            return notDue(noSuchChange(id));
        }
        if (!r.state().isOpen()) {
            return notDue("change " + id + " is " + r.state().word() + "; only a requested or approved change expires");
        }
        PolicyInForce pif = policy;
        DecisionEngine engine = pif.engine();
        Instant deadline;
        String reason;
        boolean due;
        if (r.state() == ChangeState.REQUESTED) {
            deadline = r.requestIat().plus(pif.policy().timing().pendingTtl());
            reason = "pending_ttl " + pif.policy().timing().pendingTtl() + " ran out at " + deadline
                    + " before the change was approved";
            due = engine.pendingExpired(r.pending(), time);
        } else {
            Instant approvedAt = r.approvedAt().orElseThrow();
            deadline = approvedAt.plus(pif.policy().timing().applyTtl());
            reason = "apply_ttl " + pif.policy().timing().applyTtl() + " ran out at " + deadline
                    + " before an agent reported the change applied";
            due = engine.approvalExpired(approvedAt, time);
        }
        if (!due) {
            return notDue("change " + id + " is " + r.state().word() + " and does not expire before " + deadline
                    + " (" + (r.state() == ChangeState.REQUESTED ? "pending_ttl" : "apply_ttl") + "), but the entry's"
                    + " time is " + time);
        }
        ObjectNode facts = changeFacts(id, ChangeState.EXPIRED.word());
        facts.put("reason", reason);
        return closedBy(id, CHANGE_EXPIRED, ChangeState.EXPIRED, facts, reason);
    }

    private static Denied notDue(String reason) {
        return new Denied(new Refusal(reason, "not-due", false), false, null, null);
    }

    /** An entry without a statement that closes a change (expired, superseded). */
    private Step closedBy(long id, EntryType type, ChangeState state, ObjectNode facts, String reason) {
        Commit commit = (seq, t) -> {
            ChangeRecord cur = changes.get(id);
            Evaluation ev = evaluate(policy, cur.pending().withOutcome(state));
            ChangeRecord.Builder b = cur.toBuilder();
            b.state = state;
            b.closedAt = t;
            b.closeReason = reason;
            b.review = Evaluation.Review.NOT_REQUIRED;
            b.explanation = ev != null ? ev.explanation() : state.word() + ": " + reason;
            b.events.add(new ChangeRecord.Event(seq, t, type, null, state.word()));
            changes.put(id, b.build());
            open.remove(id);
        };
        return new Step(type, null, seq -> facts, commit, NOTHING_OWED, new Result(id, state.word(), reason), reason);
    }

    // ---------------------------------------------------------------- owed entries

    /**
     * The open changes of the component (all components if null) but {@code trigger}, in id order:
     * those an applied change or an activation supersedes. Taken when the trigger is planned, so the
     * owed entries do not depend on anything applied after it.
     */
    private List<Long> supersedable(long trigger, String component) {
        List<Long> out = new ArrayList<>();
        for (long id : open) {
            if (id != trigger && (component == null || changes.get(id).component().equals(component))) {
                out.add(id);
            }
        }
        return out;
    }

    /** A change.superseded step for each change. */
    private List<Step> superseding(List<Long> ids, String reason) {
        List<Step> out = new ArrayList<>(ids.size());
        for (long id : ids) {
            ObjectNode facts = changeFacts(id, ChangeState.SUPERSEDED.word());
            facts.put("reason", reason);
            out.add(closedBy(id, CHANGE_SUPERSEDED, ChangeState.SUPERSEDED, facts, reason));
        }
        return out;
    }

    /** policy.activated for the approved change, then change.superseded for every other open change. */
    private List<Step> activation(long changeId, Policy proposed, List<Long> toSupersede) {
        String hash = PolicyHash.sha256Hex(proposed);
        ObjectNode facts = F.objectNode();
        facts.put("change", changeId);
        facts.set("policy", proposed.document());
        facts.put("policy_sha256", hash);
        facts.put("state", ChangeState.APPLIED.word());
        Commit commit = (seq, t) -> {
            ChangeRecord cur = changes.get(changeId);
            Evaluation ev = evaluate(policy, cur.pending().withOutcome(ChangeState.APPLIED));
            PolicyInForce pif = new PolicyInForce(proposed, seq, t, changeId);
            policy = pif;
            history.add(pif);
            for (String name : proposed.components().keySet()) {
                components.putIfAbsent(name, ComponentState.empty(name));
            }
            components.put(Policy.POLICY_COMPONENT, componentState(Policy.POLICY_COMPONENT)
                    .applied(proposed.document(), hash, changeId, t, false));
            ChangeRecord.Builder b = cur.toBuilder();
            b.state = ChangeState.APPLIED;
            b.tookEffectAt = t;
            b.explanation = ev != null ? ev.explanation() : "applied";
            b.events.add(new ChangeRecord.Event(seq, t, POLICY_ACTIVATED, null, ChangeState.APPLIED.word()));
            changes.put(changeId, b.build());
            open.remove(changeId);
        };
        String explanation = "policy change " + changeId + " activated";
        List<Step> out = new ArrayList<>();
        out.add(new Step(POLICY_ACTIVATED, null, seq -> facts, commit, NOTHING_OWED,
                new Result(changeId, ChangeState.APPLIED.word(), explanation), explanation));
        out.addAll(superseding(toSupersede, "policy change " + changeId + " was activated; request this change"
                + " again under the new policy"));
        return out;
    }

    // ================================================================ decide: for the server

    /**
     * Decides what a statement received by the server causes, without changing the ledger.
     *
     * <p>The server materialises the drafts in order (consecutive seqs, {@code time} =
     * {@code entryTime}, the chain's prev) and passes each entry to {@link #apply}, which runs every
     * check again on what is logged.
     *
     * @param compact the statement as received
     * @param expected the statement type the endpoint takes (never {@link StatementType#ACCESS})
     * @param entryTime the time the entries will carry (the server's clock, not before the last
     *     entry's time); the statement's time window is judged against it, at millisecond precision
     * @throws IllegalStateException before the genesis entry, or while owed entries are missing
     */
    public Outcome decide(String compact, StatementType expected, Instant entryTime) {
        return decide(compact, expected, entryTime, 0);
    }

    /**
     * As {@link #decide(String, StatementType, Instant)}, with the server's limit of open changes
     * per requester ({@code openLimit}, 0 for none): an authentic request the policy accepts is
     * refused ({@value #OPEN_LIMIT}, logged) when its issuer already has that many open changes.
     */
    public Outcome decide(String compact, StatementType expected, Instant entryTime, int openLimit) {
        Objects.requireNonNull(compact, "compact");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(entryTime, "entryTime");
        Instant t = readyAt(entryTime);
        entryTypeFor(expected); // refuses ACCESS
        lastPlan = null;
        Plan p = planStatement(compact, expected, t, openLimit);
        lastPlan = new Planned(compact, expected, t, size, openLimit, p);
        if (p instanceof Denied d) {
            return new Outcome.Refused(d.refusal(),
                    d.logged() ? Optional.of(refusedStep(compact, d).draft()) : Optional.empty());
        }
        Step s = (Step) p;
        List<Draft> drafts = new ArrayList<>();
        drafts.add(s.draft());
        // The owed entries are fixed when the statement is planned; only their facts may depend on the
        // seq of the statement's entry (a request approved at once is activated as change <its seq>),
        // which is the seq of an owed draft minus its offset.
        List<Step> probe = s.owed.apply(0);
        for (int i = 0; i < probe.size(); i++) {
            int offset = i + 1;
            int index = i;
            drafts.add(new Draft(probe.get(i).type, null, seq -> s.owed.apply(seq - offset).get(index).facts.apply(seq)));
        }
        return new Outcome.Accepted(drafts, s.result);
    }

    /**
     * The {@code change.expired} drafts for every open change whose pending_ttl or apply_ttl has run
     * out at {@code now} (the time the entries will carry), in change id order. Changes nothing.
     */
    public List<Draft> expireDue(Instant now) {
        Instant t = readyAt(now);
        List<Draft> out = new ArrayList<>();
        for (long id : open) {
            if (planExpiry(id, t) instanceof Step s) {
                out.add(s.draft());
            }
        }
        return out;
    }

    /**
     * The entries owed now (after a log that ends right after an approved policy change or an
     * applied report, before what those make owed): the server appends them before anything else.
     */
    public List<Draft> owed() {
        List<Draft> out = new ArrayList<>();
        for (Step s : owed) {
            out.add(s.draft());
        }
        return out;
    }

    private Instant readyAt(Instant time) {
        if (policy == null) {
            throw new IllegalStateException("the ledger has no log.genesis entry yet");
        }
        if (!owed.isEmpty()) {
            throw new IllegalStateException(owed.size() + " owed entries must be appended first (see owed())");
        }
        Instant t = time.truncatedTo(ChronoUnit.MILLIS);
        if (t.isBefore(last.time())) {
            throw new IllegalArgumentException("entry time " + t + " is before the last entry's " + last.time()
                    + "; the log's time never decreases");
        }
        return t;
    }

    // ================================================================ queries

    /** Whether the genesis entry has been applied. */
    public boolean started() {
        return policy != null;
    }

    /** The log's origin: the audience every statement must name. */
    public String origin() {
        return origin;
    }

    public VerifierKey logKey() {
        return logKey;
    }

    /** The policy in force. */
    public PolicyInForce policy() {
        return policy;
    }

    /** Every policy that has been in force, the genesis policy first. */
    public List<PolicyInForce> policyHistory() {
        return List.copyOf(history);
    }

    /** The number of entries applied: the seq the next entry gets. */
    public long size() {
        return size;
    }

    /** The time of the last entry applied. */
    public Optional<Instant> lastTime() {
        return last == null ? Optional.empty() : Optional.of(last.time());
    }

    /** The last entry applied (the next one's prev is its leaf hash). */
    public Optional<LogEntry> lastEntry() {
        return Optional.ofNullable(last);
    }

    /** Whether a statement with this jti is in the log already (accepted or refused). */
    public boolean jtiSeen(String jti) {
        return jtis.contains(jti);
    }

    public Optional<ChangeRecord> change(long id) {
        return Optional.ofNullable(changes.get(id));
    }

    /** Changes in id order, filtered by component and state (null: any). */
    public List<ChangeRecord> changes(String component, ChangeState state) {
        List<ChangeRecord> out = new ArrayList<>();
        for (ChangeRecord r : changes.values()) {
            if ((component == null || r.component().equals(component)) && (state == null || r.state() == state)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Open (requested or approved) changes in id order, of one component or (null) of all. */
    public List<ChangeRecord> openChanges(String component) {
        List<ChangeRecord> out = new ArrayList<>();
        for (long id : open) {
            ChangeRecord r = changes.get(id);
            if (component == null || r.component().equals(component)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The decision engine's evaluation of a change under the policy in force (approvals, what is
     * missing, review); empty for an unknown change or one the policy in force cannot judge any more.
     */
    public Optional<Evaluation> evaluation(long id) {
        ChangeRecord r = changes.get(id);
        return r == null || policy == null ? Optional.empty() : Optional.ofNullable(evaluate(policy, r.pending()));
    }

    /** The components of the policy in force ({@code policy} included), in the policy's order. */
    public List<ComponentState> components() {
        List<ComponentState> out = new ArrayList<>();
        for (String name : policy.policy().components().keySet()) {
            out.add(componentState(name));
        }
        return out;
    }

    /** A component's state; also for a component the policy in force no longer has, if it ever had one. */
    public Optional<ComponentState> component(String name) {
        ComponentState cs = components.get(name);
        return cs != null ? Optional.of(cs)
                : policy != null && policy.policy().components().containsKey(name)
                        ? Optional.of(ComponentState.empty(name)) : Optional.empty();
    }

    /**
     * Emergencies that took effect and are still unreviewed at {@code now}, {@code review_within}
     * after they took effect (to be flagged on the page and by the verifier).
     */
    public List<ChangeRecord> reviewsOverdue(Instant now) {
        List<ChangeRecord> out = new ArrayList<>();
        for (ChangeRecord r : changes.values()) {
            if (r.emergency() && r.review() == Evaluation.Review.PENDING && r.reviewDue().isPresent()
                    && !now.isBefore(r.reviewDue().get())) {
                out.add(r);
            }
        }
        return out;
    }
}
