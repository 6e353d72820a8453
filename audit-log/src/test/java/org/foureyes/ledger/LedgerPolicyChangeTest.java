package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.ledger.LedgerFlowTest.problem;
import static org.foureyes.ledger.TorExitLog.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.ChangeState;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.statement.StatementType;
import org.junit.jupiter.api.Test;

/** The policy is itself a component: changed by the current policy's rule, then activated. */
class LedgerPolicyChangeTest {

    static final SignerKey NILS = TorExitLog.seeded("nils", 7);

    /** tor-exit with nora replaced by nils, a new network operator with his own key. */
    static ObjectNode withoutNora() {
        TorExitLog.register(NILS);
        ObjectNode doc = TorExitLog.POLICY.document().deepCopy();
        ObjectNode principals = doc.with("principals");
        principals.remove("nora");
        ObjectNode nils = principals.putObject("nils");
        nils.putArray("roles").add("network-operator");
        nils.putArray("keys").add(NILS.verifierKey().toString());
        return doc;
    }

    @Test
    void policyChange_approvedByPolicyRule_activatedOpenChangesSupersededNewPolicyInForce() throws Exception {
        TorExitLog log = new TorExitLog();
        long open = log.request("rene", "relay", relay("exit1"));
        ObjectNode doc = withoutNora();
        long p = log.request("rene", "policy", doc);
        Outcome first = log.approve("nora", p);
        assertThat(((Outcome.Accepted) first).result().explanation())
                .isEqualTo("approved by nora (network-operator); needs 1 more approval from relay-operator, network-operator"
                        + " or analyst");
        assertThat(log.ledger.policy().policy().principals()).containsKey("nora");

        Outcome second = log.approve("anna", p);
        assertThat(second.drafts()).extracting(Draft::type).containsExactly(EntryType.CHANGE_DECIDED,
                EntryType.POLICY_ACTIVATED, EntryType.CHANGE_SUPERSEDED);
        assertThat(log.types().subList(log.types().size() - 3, log.types().size()))
                .containsExactly("change.decided", "policy.activated", "change.superseded");

        Policy expected = PolicyLoader.fromJson(doc, "test");
        String hash = PolicyHash.sha256Hex(expected);
        PolicyInForce now = log.ledger.policy();
        assertThat(now.sha256()).isEqualTo(hash);
        assertThat(now.change()).contains(p);
        assertThat(now.policy().principals()).containsKey("nils").doesNotContainKey("nora");
        assertThat(log.ledger.policyHistory()).hasSize(2);
        assertThat(log.ledger.change(p).orElseThrow().configSha256()).as("the request's config hash is the policy hash")
                .isEqualTo(hash);
        assertThat(log.ledger.change(p).orElseThrow().state()).isEqualTo(ChangeState.APPLIED);
        ComponentState pc = log.ledger.component("policy").orElseThrow();
        assertThat(pc.version()).isEqualTo(2);
        assertThat(pc.configSha256()).isEqualTo(hash);
        assertThat(pc.lastAppliedChange()).isEqualTo(p);
        assertThat(log.state(open)).isEqualTo(ChangeState.SUPERSEDED);
        assertThat(log.ledger.change(open).orElseThrow().closeReason())
                .contains("policy change " + p + " was activated; request this change again under the new policy");
        var activated = log.entries.get(log.entries.size() - 2).facts();
        assertThat(activated.get("policy")).isEqualTo(doc);
        assertThat(activated.get("policy_sha256").textValue()).isEqualTo(hash);
        assertThat(activated.get("state").textValue()).isEqualTo("applied");

        // under the new policy nora is nobody: her statements are not authentic and leave no trace
        long c = log.request("rene", "relay", relay("exit2"));
        long size = log.ledger.size();
        Outcome byNora = log.decide("nora", c, true);
        assertThat(problem(byNora)).isEqualTo("unknown-issuer");
        assertThat(((Outcome.Refused) byNora).refusal().authentic()).isFalse();
        assertThat(byNora.drafts()).isEmpty();
        assertThat(log.ledger.size()).isEqualTo(size);
        // and nils may approve
        log.approve("nils", c);
        assertThat(log.state(c)).isEqualTo(ChangeState.APPROVED);
        log.assertReplayAgrees();
    }

    @Test
    void policyRequest_breakingCoalition_refusedAtRequestTime() throws Exception {
        TorExitLog log = new TorExitLog();
        ObjectNode doc = TorExitLog.POLICY.document().deepCopy();
        // a policy change with one approver: two people could then grant themselves anything
        doc.with("approvals").set("policy", doc.with("approvals").get("default").deepCopy());
        Outcome o = log.submit(log.requestStatement("rene", "policy", doc, "fewer eyes", false),
                StatementType.CHANGE_REQUEST);
        assertThat(problem(o)).isEqualTo("policy-refused");
        assertThat(((Outcome.Refused) o).refusal().reason()).startsWith("the requested policy is refused: ")
                .contains("widen-monitoring");
        assertThat(log.last().type()).isEqualTo("statement.refused");
        assertThat(log.ledger.openChanges(null)).isEmpty();
        log.assertReplayAgrees();
    }

    @Test
    void policyRequest_malformedPolicy_refusedNamingTheField() throws Exception {
        TorExitLog log = new TorExitLog();
        ObjectNode doc = TorExitLog.POLICY.document().deepCopy();
        doc.with("timing").put("pending_ttl", "a week");
        Outcome o = log.submit(log.requestStatement("anna", "policy", doc, "typo", false), StatementType.CHANGE_REQUEST);
        assertThat(problem(o)).isEqualTo("policy-refused");
        assertThat(((Outcome.Refused) o).refusal().reason()).contains("requested policy: timing.pending_ttl");
        log.assertReplayAgrees();
    }

    @Test
    void policyRequest_staleBase_refused() throws Exception {
        TorExitLog log = new TorExitLog();
        String early = log.requestStatement("anna", "policy", withoutNora(), "signed before", false);
        ObjectNode other = TorExitLog.POLICY.document().deepCopy();
        other.put("description", "the same rules, described differently");
        long p = log.request("rene", "policy", other);
        log.approve("nora", p);
        log.approve("anna", p);
        assertThat(log.ledger.policyHistory()).hasSize(2);
        assertThat(problem(log.submit(early, StatementType.CHANGE_REQUEST))).isEqualTo("stale-base");
        log.assertReplayAgrees();
    }
}
