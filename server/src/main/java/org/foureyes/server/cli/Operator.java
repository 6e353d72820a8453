package org.foureyes.server.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.foureyes.auditlog.Signer;
import org.foureyes.auditlog.SigningException;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.diff.JsonDiff;
import org.foureyes.policy.ChangeState;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyDiff;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.IJson;
import org.foureyes.statement.IJsonException;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.Statement;
import org.foureyes.statement.StatementException;
import org.foureyes.statement.StatementSigner;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.StatementVerifier;
import org.foureyes.statement.VerifyMode;
import org.foureyes.statement.WithdrawalClaims;

/**
 * What the operator commands do ({@code request}, {@code approve}, {@code reject}, {@code withdraw},
 * {@code status}, {@code history}), apart from parsing arguments: testable without a terminal.
 *
 * <p>Nothing the host says is shown unchecked where it matters: the current configuration is
 * hashed locally and compared with the hash the host claims; before a decision, the request
 * statement is verified locally against the policy in force (whose hash is checked, and pinned
 * with {@code --policy-sha256} if given), its configuration hash and request hash are recomputed,
 * and the diff is computed locally between the verified current configuration and the verified
 * request's configuration (see docs/operators.md).
 */
public final class Operator {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The command failed or was declined; the message says why (exit status 1). */
    public static final class OperatorException extends Exception {
        private static final long serialVersionUID = 1L;

        public OperatorException(String message) {
            super(message);
        }
    }

    private final ApiClient api;
    private final Signer key;
    private final PrintStream out;
    private final BufferedReader in;
    private final boolean json;
    private final Clock clock;
    private final String pinnedPolicy;

    /**
     * @param key the operator's signing key, a key file or an ssh-agent key (null for read-only commands)
     * @param in the terminal, for the y/N question (null: never ask, as with {@code --yes})
     * @param pinnedPolicy hex SHA-256 the policy in force must have, or null
     */
    public Operator(ApiClient api, Signer key, PrintStream out, BufferedReader in, boolean json, Clock clock,
            String pinnedPolicy) {
        this.api = api;
        this.key = key;
        this.out = out;
        this.in = in;
        this.json = json;
        this.clock = clock;
        this.pinnedPolicy = pinnedPolicy;
    }

    // ------------------------------------------------------------------ request

    /** Proposes {@code file} (YAML or JSON) as the component's new configuration; returns the change id. */
    public long request(String component, Path file, String reason, boolean emergency)
            throws OperatorException, ApiClient.ApiException {
        Signer k = requireKey();
        if (reason == null || reason.isBlank()) {
            throw new OperatorException("--reason is required: say why, for the approvers and the log");
        }
        JsonNode proposed = readConfig(component, file);
        Current current = current(component);
        if (!json) {
            out.printf("change request for %s by %s%s%n", component, k.name(), emergency ? " (EMERGENCY)" : "");
            out.printf("current configuration: %s%n", current.sha256 == null ? "none yet"
                    : "sha256 " + current.sha256 + ", version " + current.version);
            out.printf("new configuration:     sha256 %s%n", ConfigHash.sha256Hex(proposed));
            if (Policy.POLICY_COMPONENT.equals(component)) {
                out.print(policyChange(current.config, proposed));
            }
            out.print("diff (computed locally):\n" + indent(JsonDiff.text(current.config, proposed)));
        }
        String statement = sign(k, new ChangeRequestClaims(component, Optional.ofNullable(current.sha256), proposed,
                reason, emergency));
        ApiClient.Answer a = api.post("/v1/changes", statement);
        return answer(a, "request").path("change").path("id").asLong();
    }

    private JsonNode readConfig(String component, Path file) throws OperatorException {
        if (Policy.POLICY_COMPONENT.equals(component)) {
            try {
                Policy p = PolicyLoader.load(file);
                return p.document();
            } catch (PolicyException e) {
                throw new OperatorException("the proposed policy does not load: " + e.getMessage());
            }
        }
        try {
            JsonNode n = YAML.readTree(Files.readString(file));
            if (n == null || !n.isObject()) {
                throw new OperatorException(file + ": a configuration is a YAML or JSON object (a mapping)");
            }
            IJson.check(n);
            return n;
        } catch (IOException e) {
            throw new OperatorException(InputFiles.unreadable(file, e));
        } catch (IJsonException e) {
            throw new OperatorException(file + ": not I-JSON (RFC 7493), so it has no RFC 8785 hash: " + e.getMessage());
        }
    }

    private record Current(JsonNode config, String sha256, long version) {
    }

    /** The component's current configuration, with the host's hash checked against a local one. */
    private Current current(String component) throws OperatorException, ApiClient.ApiException {
        JsonNode c = component(component);
        JsonNode config = c.get("config");
        String claimed = c.path("config_sha256").isTextual() ? c.get("config_sha256").asText() : null;
        if (config == null || config.isNull()) {
            if (claimed != null) {
                throw new OperatorException("the server claims " + component + " has configuration " + claimed
                        + " but sent none; refusing to sign against it");
            }
            return new Current(null, null, c.path("version").asLong());
        }
        String local = ConfigHash.sha256Hex(config);
        if (!local.equals(claimed)) {
            throw new OperatorException("the server's current configuration of " + component + " hashes to " + local
                    + " here, but it claims " + claimed + "; refusing to sign against it");
        }
        return new Current(config, local, c.path("version").asLong());
    }

    // ------------------------------------------------------------------ decide

    /**
     * Shows the change (verified locally), asks, then signs and posts an approval or rejection.
     *
     * @param yes do not ask
     */
    public void decide(long id, boolean approve, String comment, boolean yes)
            throws OperatorException, ApiClient.ApiException {
        Signer k = requireKey();
        Verified v = verifiedChange(id);
        show(v, true);
        String verb = approve ? "approve" : "reject";
        if (!yes && !ask(String.format("%s change %d (%s, requested by %s)? [y/N] ", capital(verb), id,
                v.change.get("component").asText(), v.request.issuer()))) {
            throw new OperatorException("not signed: you did not confirm");
        }
        DecisionClaims claims = approve
                ? new DecisionClaims(id, v.request.sha256Hex(), DecisionClaims.Decision.APPROVE,
                        Optional.ofNullable(comment))
                : new DecisionClaims(id, v.request.sha256Hex(), DecisionClaims.Decision.REJECT,
                        Optional.ofNullable(comment));
        answer(api.post("/v1/changes/" + id + "/decisions", sign(k, claims)), verb);
    }

    /** The requester withdraws a change. */
    public void withdraw(long id, boolean yes) throws OperatorException, ApiClient.ApiException {
        Signer k = requireKey();
        Verified v = verifiedChange(id);
        if (!v.request.issuer().equals(k.name())) {
            throw new OperatorException("change " + id + " was requested by " + v.request.issuer() + ", not by "
                    + k.name() + "; only the requester can withdraw it");
        }
        if (!yes && !ask("Withdraw change " + id + "? [y/N] ")) {
            throw new OperatorException("not signed: you did not confirm");
        }
        answer(api.post("/v1/changes/" + id + "/withdrawal", sign(k, new WithdrawalClaims(id,
                v.request.sha256Hex()))), "withdraw");
    }

    private record Verified(JsonNode change, Statement request, JsonNode current, JsonNode proposed) {
    }

    /** Fetches a change and checks its request statement locally; throws if anything does not add up. */
    private Verified verifiedChange(long id) throws OperatorException, ApiClient.ApiException {
        JsonNode change = change(id);
        JsonNode policyView = api.get("/v1/policy");
        Policy policy;
        try {
            policy = PolicyLoader.fromJson(policyView.get("policy"), "policy in force");
        } catch (PolicyException e) {
            throw new OperatorException("the policy the server calls in force does not load here: " + e.getMessage());
        }
        String policySha = PolicyHash.sha256Hex(policy);
        if (!policySha.equals(policyView.path("sha256").asText())) {
            throw new OperatorException("the server's policy hashes to " + policySha + " here, but it claims "
                    + policyView.path("sha256").asText());
        }
        if (pinnedPolicy != null && !pinnedPolicy.equalsIgnoreCase(policySha)) {
            throw new OperatorException("the policy in force is " + policySha + ", not the pinned "
                    + pinnedPolicy + " (--policy-sha256); find out why before deciding");
        }
        String origin = origin();
        String compact = change.path("request").asText();
        Instant at = Instant.parse(change.path("requested_at").asText());
        Statement request;
        try {
            request = new StatementVerifier().verify(compact, policy, origin, at,
                    VerifyMode.offline(StatementType.CHANGE_REQUEST));
        } catch (StatementException e) {
            throw new OperatorException("the request statement of change " + id + " does not verify here: "
                    + e.getMessage());
        }
        ChangeRequestClaims claims = request.claims(ChangeRequestClaims.class);
        if (!request.sha256Hex().equals(change.path("request_sha256").asText())
                || !request.configSha256().orElse("").equals(change.path("config_sha256").asText())
                || !claims.component().equals(change.path("component").asText())
                || !request.issuer().equals(change.path("requester").asText())) {
            throw new OperatorException("the server's description of change " + id + " does not match its signed"
                    + " request statement; refusing to decide on it");
        }
        Current current = current(claims.component());
        return new Verified(change, request, current.config, claims.config());
    }

    private void show(Verified v, boolean withDiff) {
        if (json) {
            return;
        }
        JsonNode c = v.change;
        ChangeRequestClaims claims = v.request.claims(ChangeRequestClaims.class);
        out.printf("change %d: %s, requested by %s at %s%s%n", c.get("id").asLong(), claims.component(),
                v.request.issuer(), c.path("requested_at").asText(), claims.emergency() ? " (EMERGENCY)" : "");
        out.printf("reason: %s%n", claims.reason());
        out.printf("request statement: signature verified here against the policy in force; sha256 %s%n",
                v.request.sha256Hex());
        out.printf("state: %s — %s%n", c.path("state").asText(), c.path("explanation").asText());
        if (c.path("missing").size() > 0) {
            c.get("missing").forEach(m -> out.printf("still missing: %s%n", m.asText()));
        }
        String base = claims.base().orElse(null);
        String now = v.current == null ? null : ConfigHash.sha256Hex(v.current);
        if (!isOpen(c.path("state").asText())) {
            // A closed change cannot take effect any more; comparing its base with today's
            // configuration would only alarm. Say where the component stands instead.
            String proposed = v.request.configSha256().orElse("");
            out.printf("closed: the component's current configuration is %s%s%n", now == null ? "none" : now,
                    proposed.equals(now) ? " (this change's)" : "");
            return;
        }
        if (base == null ? now != null : !base.equals(now)) {
            out.printf("WARNING: the request was made against %s, but the current configuration is %s;"
                    + " the change can no longer take effect%n", base == null ? "no configuration" : base,
                    now == null ? "none" : now);
        }
        if (withDiff) {
            if (Policy.POLICY_COMPONENT.equals(claims.component())) {
                out.print(policyChange(v.current, v.proposed));
            }
            out.print("diff against the current configuration (computed locally):\n"
                    + indent(JsonDiff.text(v.current, v.proposed)));
        }
    }

    /**
     * For a change to {@code policy}: what it changes in rights, rules and coalitions, and every
     * guard, schema, emergency and timing change with whether it widens (listed first). A positional
     * JSON diff alone makes a removed guard look like a renamed one.
     */
    static String policyChange(JsonNode current, JsonNode proposed) {
        if (current == null) {
            return "policy change (computed locally): no policy in force to compare with\n";
        }
        try {
            PolicyDiff d = PolicyDiff.between(PolicyLoader.fromJson(current, "policy in force"),
                    PolicyLoader.fromJson(proposed, "proposed policy"));
            return "policy change (computed locally):\n" + indent(d.toText());
        } catch (PolicyException e) {
            return "WARNING: the policy change cannot be analysed here: " + e.getMessage() + "\n";
        }
    }

    /** Whether a change in this state can still be decided on or take effect. */
    private static boolean isOpen(String state) {
        for (ChangeState s : ChangeState.values()) {
            if (s.word().equals(state)) {
                return s.isOpen();
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ status and history

    /** Open changes, or one change in detail. */
    public void status(Long id) throws OperatorException, ApiClient.ApiException {
        if (id != null) {
            JsonNode change = change(id);
            if (json) {
                print(change);
                return;
            }
            try {
                show(verifiedChange(id), true);
            } catch (OperatorException e) {
                out.println("WARNING: " + e.getMessage());
                out.printf("change %d: %s, %s — %s%n", id, change.path("component").asText(),
                        change.path("state").asText(), change.path("explanation").asText());
            }
            out.println("entries:");
            change.path("events").forEach(e -> out.printf("  %6d  %s  %-18s %s%n", e.path("seq").asLong(),
                    e.path("time").asText(), e.path("type").asText(), e.path("state").asText()));
            return;
        }
        JsonNode requested = api.get("/v1/changes?state=requested");
        JsonNode approved = api.get("/v1/changes?state=approved");
        if (json) {
            com.fasterxml.jackson.databind.node.ArrayNode all = JSON.createArrayNode();
            all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) requested);
            all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) approved);
            print(all);
            return;
        }
        if (requested.isEmpty() && approved.isEmpty()) {
            out.println("no open changes");
            return;
        }
        out.printf("%6s  %-10s %-10s %-12s %s%n", "id", "component", "state", "requester", "what it needs");
        for (JsonNode list : new JsonNode[] {requested, approved}) {
            for (JsonNode c : list) {
                out.printf("%6d  %-10s %-10s %-12s %s%s%n", c.path("id").asLong(), c.path("component").asText(),
                        c.path("state").asText(), c.path("requester").asText(),
                        c.path("emergency").asBoolean() ? "EMERGENCY; " : "", c.path("explanation").asText());
            }
        }
    }

    /** Every change, of one component or of all. */
    public void history(String component) throws OperatorException, ApiClient.ApiException {
        // A misspelt component would otherwise list "no changes".
        JsonNode comp = component == null ? null : component(component);
        JsonNode list = api.get(component == null ? "/v1/changes" : "/v1/changes?component=" + component);
        if (json) {
            print(list);
            return;
        }
        if (component != null) {
            out.printf("%s: version %d, current configuration %s%n", component, comp.path("version").asLong(),
                    comp.path("config_sha256").isTextual() ? comp.get("config_sha256").asText() : "none");
        }
        if (list.isEmpty()) {
            out.println("no changes");
            return;
        }
        out.printf("%6s  %-24s %-10s %-10s %-12s %s%n", "id", "requested at", "component", "state", "requester",
                "reason");
        for (JsonNode c : list) {
            out.printf("%6d  %-24s %-10s %-10s %-12s %s%s%n", c.path("id").asLong(), c.path("requested_at").asText(),
                    c.path("component").asText(), c.path("state").asText(), c.path("requester").asText(),
                    c.path("emergency").asBoolean() ? "[EMERGENCY] " : "", c.path("reason").asText());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** GET /v1/changes/{id}; a change that does not exist is said so, with where ids come from. */
    private JsonNode change(long id) throws OperatorException, ApiClient.ApiException {
        try {
            return api.get("/v1/changes/" + id);
        } catch (ApiClient.ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw new OperatorException("there is no change " + id + " in this log: a change id is the log entry"
                    + " number of its request; 'status' lists the open changes and 'history' all of them");
        }
    }

    /** GET /v1/components/{name}; a name that is not in the policy is said so, with the near ones. */
    private JsonNode component(String name) throws OperatorException, ApiClient.ApiException {
        try {
            return api.get("/v1/components/" + name);
        } catch (ApiClient.ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            java.util.List<String> known = new java.util.ArrayList<>();
            api.get("/v1/components").forEach(n -> known.add(n.path("name").asText()));
            java.util.List<String> near = Spelling.near(name, known);
            throw new OperatorException("there is no component '" + name + "' in the policy in force"
                    + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?")
                    + " The components are: " + String.join(", ", known));
        }
    }

    private Signer requireKey() throws OperatorException {
        if (key == null) {
            throw new OperatorException("--key is required to sign");
        }
        return key;
    }

    private String origin() throws ApiClient.ApiException, OperatorException {
        String text = api.getText("/v1/log/key").strip();
        try {
            return VerifierKey.parse(text).name();
        } catch (Exception e) {
            throw new OperatorException("the server's log key is not a verifier key: " + text);
        }
    }

    private String sign(Signer k, org.foureyes.statement.StatementClaims claims)
            throws OperatorException, ApiClient.ApiException {
        try {
            return StatementSigner.of(k, clock).sign(origin(), claims);
        } catch (SigningException e) {
            throw new OperatorException("cannot sign: " + e.getMessage());
        }
    }

    /** Prints the outcome of a POST; throws on a refusal. */
    private JsonNode answer(ApiClient.Answer a, String what) throws OperatorException {
        JsonNode body = a.body();
        if (a.status() == 201 && body != null) {
            if (json) {
                print(body);
            } else {
                JsonNode c = body.path("change");
                out.printf("%s accepted: change %d (%s) is %s — %s%n", what, c.path("id").asLong(),
                        c.path("component").asText(), body.path("state").asText(), body.path("explanation").asText());
                out.printf("logged as entry %d; checkpoint size %s%n", body.path("receipt").path("seq").asLong(),
                        body.path("receipt").path("checkpoint").asText().split("\n")[1]);
            }
            return body;
        }
        if (json && body != null) {
            print(body);
        }
        throw new OperatorException(ApiClient.error(a, what + " refused").getMessage()
                + (body != null && body.path("logged").asBoolean() ? " (the refusal is logged as entry "
                        + body.path("entry").asLong() + ")" : ""));
    }

    private boolean ask(String question) throws OperatorException {
        if (in == null) {
            throw new OperatorException("no terminal to confirm on; pass --yes to sign without asking");
        }
        out.print(question);
        out.flush();
        try {
            String line = in.readLine();
            return line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }

    private void print(JsonNode n) {
        try {
            out.println(JSON.writeValueAsString(n));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String indent(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }

    private static String capital(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
