package org.foureyes.server.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.ledger.ComponentState;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.PolicyInForce;
import org.foureyes.policy.Component;
import org.foureyes.policy.Emergency;
import org.foureyes.policy.Evaluation;
import org.foureyes.policy.PolicyAnalysis;
import org.foureyes.server.api.ChangeSummary;
import org.foureyes.server.api.ChangeView;
import org.foureyes.server.api.ComponentView;
import org.foureyes.server.api.PolicyView;

/** Turns the ledger's records into the API's JSON records. Call under the ledger's read lock. */
public final class Views {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The analysis of each policy in force, by its hash: it is a function of the policy alone, and
     * {@code GET /v1/policy} must not rerun it (up to the analysis budget) on every request.
     */
    private static final Map<String, ObjectNode> ANALYSES = new ConcurrentHashMap<>();
    private static final int ANALYSES_KEPT = 8;

    private Views() {
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    static String time(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }

    public static String state(ChangeRecord r) {
        return r.state().name().toLowerCase(Locale.ROOT);
    }

    static List<String> missing(Ledger l, ChangeRecord r) {
        return missing(r, r.state().isOpen() ? l.evaluation(r.id()) : Optional.empty());
    }

    static List<String> missing(ChangeRecord r, Optional<Evaluation> ev) {
        if (!r.state().isOpen() || ev.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Evaluation.Missing m : ev.get().missing()) {
            out.add(m.toString());
        }
        return out;
    }

    public static ChangeSummary summary(Ledger l, ChangeRecord r) {
        return new ChangeSummary(r.id(), r.component(), r.requester(), state(r), r.emergency(), r.reason(),
                time(r.requestedAt()), r.explanation(), missing(l, r));
    }

    public static ChangeView view(Ledger l, ChangeRecord r) {
        return view(r, l.evaluation(r.id()));
    }

    /** The view of a record and its evaluation, taken together earlier (no ledger needed). */
    public static ChangeView view(ChangeRecord r, Optional<Evaluation> evaluation) {
        List<ChangeView.Approval> approvals = new ArrayList<>();
        evaluation.ifPresent(ev -> {
            for (Evaluation.Approval a : ev.approvals()) {
                approvals.add(new ChangeView.Approval(a.principal(), a.role(), a.matched()));
            }
        });
        List<ChangeView.DecisionView> decisions = new ArrayList<>();
        for (ChangeRecord.DecisionRecord d : r.decisions()) {
            decisions.add(new ChangeView.DecisionView(d.seq(), d.principal(),
                    d.kind().name().toLowerCase(Locale.ROOT), time(d.iat()), d.statementSha256(), d.statement()));
        }
        List<ChangeView.Event> events = new ArrayList<>();
        for (ChangeRecord.Event e : r.events()) {
            events.add(new ChangeView.Event(e.seq(), time(e.time()), e.type().wireName(), e.state()));
        }
        String review = r.review() == Evaluation.Review.NOT_REQUIRED ? null
                : r.review().name().toLowerCase(Locale.ROOT);
        return new ChangeView(r.id(), r.component(), r.requester(), state(r), r.emergency(), r.reason(),
                r.base().orElse(null), r.config(), r.configSha256(), r.requestStatement(), r.requestSha256(),
                time(r.requestIat()), time(r.requestedAt()), r.policySha256(), r.explanation(), missing(r, evaluation),
                approvals, decisions, time(r.approvedAt()), time(r.tookEffectAt()), time(r.closedAt()),
                r.closeReason().orElse(null), review, time(r.reviewDue()), events);
    }

    public static ComponentView component(Ledger l, ComponentState c) {
        Component def = l.policy().policy().components().get(c.name());
        JsonNode emergency = null;
        if (def != null && def.emergency().isPresent()) {
            Emergency e = def.emergency().get();
            ObjectNode n = JSON.createObjectNode();
            n.set("set", JSON.valueToTree(e.set()));
            n.put("review_within", e.reviewWithin().toString());
            emergency = n;
        }
        List<ChangeSummary> pending = new ArrayList<>();
        for (ChangeRecord r : l.openChanges(c.name())) {
            pending.add(summary(l, r));
        }
        return new ComponentView(c.name(), def == null ? null : def.description(), c.config(), c.configSha256(),
                c.version(), c.lastAppliedChange(), time(c.lastAppliedAt()), time(c.lastAgentContact()),
                time(c.driftReportedAt()), emergency, pending);
    }

    public static PolicyView policy(Ledger l) {
        PolicyInForce p = l.policy();
        List<PolicyView.Version> history = new ArrayList<>();
        for (PolicyInForce h : l.policyHistory()) {
            history.add(new PolicyView.Version(h.sha256(), h.activatedSeq(), time(h.activatedAt()),
                    h.change().orElse(null)));
        }
        return new PolicyView(p.policy().name(), p.sha256(), p.activatedSeq(), time(p.activatedAt()),
                p.change().orElse(null), p.policy().document(), analysis(p), history);
    }

    static ObjectNode analysis(PolicyInForce p) {
        ObjectNode cached = ANALYSES.get(p.sha256());
        if (cached == null) {
            cached = PolicyAnalysis.analyse(p.policy()).toJson();
            if (ANALYSES.size() >= ANALYSES_KEPT) {
                ANALYSES.clear();
            }
            ANALYSES.put(p.sha256(), cached);
        }
        return cached.deepCopy();
    }
}
