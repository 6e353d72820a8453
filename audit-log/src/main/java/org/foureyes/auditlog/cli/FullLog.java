package org.foureyes.auditlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.verify.AuditReport;
import org.foureyes.auditlog.verify.AuditReport.ChangeHistory;
import org.foureyes.auditlog.verify.AuditReport.ComponentHistory;
import org.foureyes.auditlog.verify.AuditReport.DecisionEntry;
import org.foureyes.auditlog.verify.ExportInputException;
import org.foureyes.auditlog.verify.FullVerifier;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.auditlog.verify.VerificationResult;

/** {@code foureyes-verify log} in full mode (the default): structure and policy replay, with the report. */
final class FullLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FullLog() {
    }

    /** Where the entries come from: an export directory or a tiles source. */
    @FunctionalInterface
    interface Input {
        FullVerifier.Result verify(FullVerifier verifier) throws ExportInputException, java.io.IOException;
    }

    static int run(VerifierKey key, Path dir, String since, String pinPolicy, boolean allowOverdue,
            boolean progress, boolean json, boolean debug, PrintStream out, PrintStream err) {
        return run(key, v -> v.verify(dir), since, pinPolicy, allowOverdue, progress, json, debug, out, err);
    }

    static int run(VerifierKey key, Input input, String since, String pinPolicy, boolean allowOverdue,
            boolean progress, boolean json, boolean debug, PrintStream out, PrintStream err) {
        FullVerifier.Builder b = FullVerifier.builder(key).pinGenesisPolicy(pinPolicy).allowOverdueReviews(allowOverdue);
        try {
            if (since != null) {
                b.since(LogVerifier.readCheckpointFile(Path.of(since), "saved checkpoint"));
            }
        } catch (ExportInputException e) {
            return VerifyMain.inputError(e.getMessage(), json, out, err);
        }
        VerifyMain.StderrProgress listener = null;
        if (progress || VerifyMain.stderrIsTerminal()) {
            listener = new VerifyMain.StderrProgress(err, !VerifyMain.stderrIsTerminal());
            b.progress(listener, Duration.ofSeconds(2));
        }
        FullVerifier.Result r;
        try {
            r = input.verify(b.build());
        } catch (ExportInputException e) {
            if (debug) {
                e.printStackTrace(err);
            }
            return VerifyMain.inputError(e.getMessage(), json, out, err);
        } catch (java.io.IOException e) {
            return VerifyMain.tilesError(e, json, out, err);
        } finally {
            if (listener != null) {
                listener.endLine();
            }
        }
        if (json) {
            out.println(toJson(r));
        } else if (r.report().isPresent()) {
            r.structure().ifPresent(v -> {
                out.println(VerifyMain.summary(v));
                v.since().ifPresent(c -> out.println(VerifyMain.sinceSummary(v, c)));
            });
            out.print(text(r.report().get(), pinPolicy));
        }
        if (r.result() instanceof VerificationResult.Failed f) {
            err.println("foureyes-verify: FAILED: " + f.failure().message());
            return VerifyMain.FAILED;
        }
        return VerifyMain.OK;
    }

    // ---------------------------------------------------------------- text

    static String text(AuditReport a, String pinPolicy) {
        StringBuilder s = new StringBuilder();
        s.append("replayed ").append(a.entries()).append(" entries against the policy in force at each: every")
                .append(" statement signature, decision and state transition holds\n");
        if (pinPolicy != null) {
            s.append("genesis policy sha256 ").append(a.policies().get(0).sha256()).append(" matches --pin-policy\n");
        }
        s.append("\npolicies:\n");
        for (AuditReport.PolicyVersion p : a.policies()) {
            s.append("  v").append(p.version()).append(' ').append(p.name()).append(" sha256 ").append(p.sha256())
                    .append(", in force from entry ").append(p.seq()).append(" (").append(p.activatedAt()).append(")")
                    .append(p.change() == null ? ", genesis" : ", change " + p.change()).append('\n');
        }
        for (ComponentHistory c : a.components()) {
            s.append("\ncomponent ").append(c.name()).append(c.inForce() ? "" : " (not in the policy in force)")
                    .append(": version ").append(c.version());
            if (c.configSha256() != null) {
                s.append(", config sha256 ").append(c.configSha256());
            }
            if (c.lastAppliedChange() != null) {
                s.append(", last change ").append(c.lastAppliedChange()).append(" at ").append(c.lastAppliedAt());
            }
            s.append('\n');
            if (c.changes().isEmpty()) {
                s.append("  no changes\n");
            }
            for (ChangeHistory h : c.changes()) {
                s.append("  change ").append(h.id()).append(": ").append(h.state().toUpperCase(Locale.ROOT));
                if (h.emergency()) {
                    s.append(" EMERGENCY");
                }
                s.append("; requested by ").append(h.requester()).append(" at ").append(h.requestedAt());
                for (DecisionEntry d : h.decisions()) {
                    s.append("; ").append(d.review() ? "review: " : "").append(d.decision().equals("approve")
                            ? "approved" : "rejected").append(" by ").append(d.principal()).append(" at ")
                            .append(d.time());
                }
                if (h.appliedAt() != null) {
                    s.append("; took effect at ").append(h.appliedAt());
                } else if (h.closedAt() != null) {
                    s.append("; closed at ").append(h.closedAt());
                }
                if (h.review() != null && h.review().due() != null) {
                    s.append("; review ").append(h.review().status()).append(", due ").append(h.review().due());
                    if (!h.review().inTime()) {
                        s.append(h.review().reviewedAt() == null ? " OVERDUE" : " LATE");
                    }
                }
                if (h.closeReason() != null) {
                    s.append(" (").append(h.closeReason()).append(')');
                }
                s.append('\n');
            }
        }
        s.append('\n');
        if (a.overdueReviews().isEmpty()) {
            s.append("emergency reviews: none overdue at ").append(a.reviewReferenceTime())
                    .append(" (the last entry's time)\n");
        } else {
            s.append("emergency reviews NOT done in time (judged at ").append(a.reviewReferenceTime())
                    .append(", the last entry's time):\n");
            a.overdueReviews().forEach(o -> s.append("  ").append(o.message()).append('\n'));
        }
        if (!a.owedAtEnd().isEmpty()) {
            s.append("note: the log ends in the middle of a batch; owed entries missing: ")
                    .append(String.join(", ", a.owedAtEnd())).append('\n');
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- JSON

    static String toJson(FullVerifier.Result r) {
        ObjectNode o;
        if (r.result() instanceof VerificationResult.Verified v) {
            o = (ObjectNode) read(VerifyMain.toJson(v));
        } else {
            o = (ObjectNode) read(VerifyMain.toJson((VerificationResult.Failed) r.result()));
            r.structure().ifPresent(v -> {
                ObjectNode chain = (ObjectNode) read(VerifyMain.toJson(v));
                chain.remove("verified");
                o.set("structure", chain);
            });
        }
        o.put("mode", "full");
        r.report().ifPresent(rep -> o.set("report", report(rep)));
        return o.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode report(AuditReport a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("origin", a.origin());
        o.put("log_key", a.logKey());
        o.put("entries", a.entries());
        o.put("review_reference_time", str(a.reviewReferenceTime()));
        ArrayNode ps = o.putArray("policies");
        for (AuditReport.PolicyVersion p : a.policies()) {
            ObjectNode po = ps.addObject();
            po.put("version", p.version());
            po.put("name", p.name());
            po.put("sha256", p.sha256());
            po.put("seq", p.seq());
            po.put("activated_at", str(p.activatedAt()));
            putLong(po, "change", p.change());
        }
        ArrayNode cs = o.putArray("components");
        for (ComponentHistory c : a.components()) {
            ObjectNode co = cs.addObject();
            co.put("name", c.name());
            co.put("in_force", c.inForce());
            co.put("version", c.version());
            co.put("config_sha256", c.configSha256());
            putLong(co, "last_change", c.lastAppliedChange());
            co.put("last_change_at", str(c.lastAppliedAt()));
            ArrayNode hs = co.putArray("changes");
            for (ChangeHistory h : c.changes()) {
                ObjectNode ho = hs.addObject();
                ho.put("id", h.id());
                ho.put("requester", h.requester());
                ho.put("requested_at", str(h.requestedAt()));
                ho.put("reason", h.reason());
                ho.put("emergency", h.emergency());
                ho.put("state", h.state());
                ho.put("config_sha256", h.configSha256());
                ArrayNode ds = ho.putArray("decisions");
                for (DecisionEntry d : h.decisions()) {
                    ObjectNode dn = ds.addObject();
                    dn.put("principal", d.principal());
                    dn.put("decision", d.decision());
                    dn.put("seq", d.seq());
                    dn.put("time", str(d.time()));
                    dn.put("iat", str(d.iat()));
                    dn.put("review", d.review());
                }
                ho.put("approved_at", str(h.approvedAt()));
                ho.put("applied_at", str(h.appliedAt()));
                ho.put("closed_at", str(h.closedAt()));
                ho.put("close_reason", h.closeReason());
                if (h.review() == null) {
                    ho.putNull("review");
                } else {
                    ObjectNode rv = ho.putObject("review");
                    rv.put("status", h.review().status());
                    rv.put("due", str(h.review().due()));
                    rv.put("reviewed_at", str(h.review().reviewedAt()));
                    rv.put("in_time", h.review().inTime());
                }
            }
        }
        ArrayNode ov = o.putArray("overdue_reviews");
        for (AuditReport.OverdueReview r : a.overdueReviews()) {
            ObjectNode on = ov.addObject();
            on.put("change", r.change());
            on.put("component", r.component());
            on.put("took_effect_at", str(r.tookEffectAt()));
            on.put("due", str(r.due()));
            on.put("reviewed_at", str(r.reviewedAt()));
            on.put("message", r.message());
        }
        ArrayNode owed = o.putArray("owed_at_end");
        a.owedAtEnd().forEach(owed::add);
        return o;
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void putLong(ObjectNode o, String name, Long v) {
        if (v == null) {
            o.putNull(name);
        } else {
            o.put(name, v.longValue());
        }
    }

    static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }
}
