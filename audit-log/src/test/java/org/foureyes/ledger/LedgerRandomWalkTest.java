package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.WithdrawalClaims;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: whatever statements arrive, in whatever order and at whatever time, every outcome of
 * {@link Ledger#decide} materialises into entries that {@link Ledger#apply} accepts (the harness
 * fails on any {@link LedgerException}), the answer agrees with the entry, and replaying the
 * resulting log from scratch gives the same state. Seeded random walks over the tor-exit policy,
 * mixing legitimate and illegitimate statements.
 */
class LedgerRandomWalkTest {
    static final String[] PEOPLE = {"rene", "nora", "anna", "agent-relay", "agent-switch", "agent-monitor", "ines"};
    static final String[] OPERATORS = {"rene", "nora", "anna"};
    static final String[] COMPONENTS = {"relay", "switch", "monitor", "policy"};
    static final String[] AGENTS = {"agent-relay", "agent-switch", "agent-monitor"};
    static final java.util.Map<String, String> REQUESTER = java.util.Map.of("relay", "rene", "switch", "nora",
            "monitor", "anna");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomWalk_everyDecideOutcome_appliesAndReplays(long seed) throws Exception {
        Random rnd = new Random(seed);
        TorExitLog log = new TorExitLog();
        List<String> sent = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        for (int step = 0; step < 90; step++) {
            String compact;
            StatementType type;
            int action = rnd.nextInt(100);
            if (action < 30) {
                String comp = pick(rnd, COMPONENTS);
                String who = rnd.nextInt(5) == 0 ? pick(rnd, PEOPLE)
                        : rnd.nextInt(3) == 0 || comp.equals("policy") ? pick(rnd, OPERATORS) : REQUESTER.get(comp);
                boolean emergency = !comp.equals("relay") && !comp.equals("policy") && rnd.nextInt(3) == 0;
                compact = log.requestStatement(who, comp, config(rnd, log, comp, emergency), "step " + step, emergency);
                type = StatementType.CHANGE_REQUEST;
            } else if (action < 60 && log.ledger.size() > 1) {
                long change = anyChange(rnd, log);
                String who = rnd.nextInt(6) == 0 ? pick(rnd, PEOPLE) : pick(rnd, OPERATORS);
                String sha = log.ledger.change(change).map(ChangeRecord::requestSha256).orElse("ab".repeat(32));
                compact = log.sign(who, rnd.nextInt(5) == 0 ? DecisionClaims.reject(change, sha, "no")
                        : DecisionClaims.approve(change, sha));
                type = StatementType.DECISION;
            } else if (action < 66 && log.ledger.size() > 1) {
                long change = anyChange(rnd, log);
                String sha = log.ledger.change(change).map(ChangeRecord::requestSha256).orElse("ab".repeat(32));
                String who = log.ledger.change(change).filter(r -> rnd.nextInt(4) != 0).map(ChangeRecord::requester)
                        .orElse(pick(rnd, PEOPLE));
                compact = log.sign(who, new WithdrawalClaims(change, sha));
                type = StatementType.WITHDRAWAL;
            } else if (action < 84 && log.ledger.size() > 1) {
                List<ChangeRecord> approved = log.ledger.changes(null, org.foureyes.policy.ChangeState.APPROVED);
                long change = !approved.isEmpty() && rnd.nextInt(3) != 0
                        ? approved.get(rnd.nextInt(approved.size())).id() : anyChange(rnd, log);
                Optional<ChangeRecord> r = log.ledger.change(change);
                String comp = r.map(ChangeRecord::component).orElse("relay");
                String agent = rnd.nextInt(5) == 0 || comp.equals("policy") ? pick(rnd, AGENTS) : "agent-" + comp;
                int s = rnd.nextInt(10);
                ReportClaims.Status status = s < 7 ? ReportClaims.Status.APPLIED
                        : s < 9 ? ReportClaims.Status.FAILED : ReportClaims.Status.DRIFT;
                String applied = r.map(ChangeRecord::configSha256).orElse("cd".repeat(32));
                compact = log.sign(agent, new ReportClaims(comp.equals("policy") ? "relay" : comp, change, applied,
                        status, Optional.empty()));
                type = StatementType.REPORT;
            } else if (action < 94) {
                log.after(rnd.nextInt(4) == 0 ? Duration.ofHours(1 + rnd.nextInt(200)) : Duration.ofMinutes(rnd.nextInt(90)));
                for (LogEntry e : log.expireDue()) {
                    assertThat(e.facts().get("state").textValue()).isEqualTo("expired");
                }
                continue;
            } else if (!sent.isEmpty()) {
                compact = sent.get(rnd.nextInt(sent.size())); // a replay, or a statement past its window
                type = StatementType.values()[rnd.nextInt(4)];
            } else {
                continue;
            }
            if (rnd.nextInt(10) == 0) {
                log.after(Duration.ofMinutes(rnd.nextInt(15))); // arrives late, perhaps after its window
            }
            sent.add(compact);
            long first = log.ledger.size();
            Outcome o = log.submit(compact, type);
            if (o instanceof Outcome.Accepted a) {
                accepted++;
                LogEntry e = log.entries.get((int) first);
                assertThat(e.facts().get("state").textValue()).isEqualTo(a.result().state());
                JsonNode change = e.facts().get("change");
                assertThat(change.longValue()).isEqualTo(a.result().change(first));
            } else {
                refused++;
                Outcome.Refused r = (Outcome.Refused) o;
                assertThat(r.draft().isPresent()).isEqualTo(r.refusal().authentic()
                        && !r.refusal().problem().equals("access-token"));
            }
        }
        assertThat(accepted).isPositive();
        assertThat(refused).isPositive();
        for (LogEntry e : log.entries) {
            assertThat(LogEntry.parse(e.bytes())).isEqualTo(e);
        }
        log.assertReplayAgrees();
    }

    static String pick(Random rnd, String[] from) {
        return from[rnd.nextInt(from.length)];
    }

    static long anyChange(Random rnd, TorExitLog log) {
        List<ChangeRecord> open = log.ledger.openChanges(null);
        if (!open.isEmpty() && rnd.nextInt(3) != 0) {
            return open.get(rnd.nextInt(open.size())).id();
        }
        return 1 + rnd.nextInt((int) log.ledger.size());
    }

    static ObjectNode config(Random rnd, TorExitLog log, String comp, boolean emergency) {
        if (emergency) {
            JsonNode current = log.ledger.component(comp).orElseThrow().config();
            ObjectNode c = current == null ? (comp.equals("switch") ? TorExitLog.switchConfig(true) : TorExitLog.monitor(true))
                    : (ObjectNode) current;
            if (comp.equals("switch")) {
                c.with("mirror").put("enabled", false);
            } else {
                c.with("capture").put("enabled", false);
            }
            return c;
        }
        return switch (comp) {
            case "relay" -> {
                ObjectNode r = TorExitLog.relay("exit" + rnd.nextInt(5));
                if (rnd.nextInt(8) == 0) {
                    r.put("outbound_bind_address_or", "192.0.2.10"); // breaks a guard
                }
                yield r;
            }
            case "switch" -> TorExitLog.switchConfig(rnd.nextBoolean());
            case "monitor" -> TorExitLog.monitor(rnd.nextBoolean());
            default -> {
                ObjectNode p = TorExitLog.POLICY.document().deepCopy();
                p.put("description", "revision " + rnd.nextInt(1000));
                yield p;
            }
        };
    }
}
