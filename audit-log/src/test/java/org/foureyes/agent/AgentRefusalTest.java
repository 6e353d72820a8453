package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.foureyes.agent.AgentException.Check;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.WitnessKey;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.StatementType;
import org.junit.jupiter.api.Test;

/**
 * The agent refuses what was not properly approved, even when the host lies, and says which check
 * failed. A refused verification writes nothing at all; a refused apply (the change is verified but
 * stale) writes no configuration, runs no hook and sends no report.
 */
class AgentRefusalTest extends AgentTestSupport {

    private static ObjectNode facts(long change, String state) {
        return AgentLog.JSON.createObjectNode().put("change", change).put("state", state);
    }

    /** The round is refused for {@code check}; the target, hook and reports are untouched. */
    private AgentException assertRefusedApplyingNothing(Agent agent, Check check) throws Exception {
        Map<String, String> before = snapshot();
        AgentException e = catchThrowableOfType(AgentException.class, agent::round);
        assertThat(e).as("round should be refused").isNotNull();
        assertThat(e.check()).as(e.toString()).isEqualTo(check);
        Map<String, String> after = snapshot();
        for (String verified : List.of("state/" + AgentState.STATE, "state/" + AgentState.ENTRIES)) {
            before.remove(verified);
            after.remove(verified);
        }
        assertThat(after).isEqualTo(before);
        return e;
    }

    private Agent agentAfterFirstRound() throws Exception {
        Agent agent = agent();
        agent.round();
        return agent;
    }

    @Test
    void round_decisionForgedByPrincipalWithoutTheRight_refusedByTheLedger() throws Exception {
        Agent agent = agentAfterFirstRound();
        long id = log.request("rene", "relay", AgentLog.relay("exit1"));
        log.forge(EntryType.CHANGE_DECIDED, log.decisionStatement("ines", id, true), facts(id, "approved"));

        AgentException e = assertRefusedWritingNothing(agent, Check.LEDGER);

        assertThat(e.getMessage()).contains("entry 2 (change.decided)").contains("ines");
    }

    @Test
    void round_entryBytesAltered_refusedAsNotHashingToTheRoot() throws Exception {
        Agent agent = agentAfterFirstRound();
        long id = log.approvedRelay("exit1");
        host.servedEntries = list -> {
            List<byte[]> copy = new ArrayList<>(list);
            String s = new String(copy.get((int) id), StandardCharsets.UTF_8);
            int at = s.indexOf("\"statement\":\"") + 40;
            char c = s.charAt(at) == 'A' ? 'B' : 'A';
            copy.set((int) id, (s.substring(0, at) + c + s.substring(at + 1)).getBytes(StandardCharsets.UTF_8));
            return copy;
        };

        AgentException e = assertRefusedWritingNothing(agent, Check.ENTRIES);

        assertThat(e.getMessage()).contains("do not extend the kept tree to the checkpoint's root");
    }

    @Test
    void round_consistencyProofAltered_refused() throws Exception {
        Agent agent = agentAfterFirstRound();
        log.approvedRelay("exit1");
        host.servedProof = proof -> {
            byte[] h = proof.get(0).clone();
            h[0] ^= 1;
            proof.set(0, h);
            return proof;
        };

        assertRefusedWritingNothing(agent, Check.CONSISTENCY);
    }

    @Test
    void round_checkpointSignedByAnotherKey_refused() throws Exception {
        log.approvedRelay("exit1");
        host.checkpointKey = AgentLog.seeded(AgentLog.ORIGIN, 7);

        AgentException e = assertRefusedWritingNothing(agent(), Check.CHECKPOINT_SIGNATURE);

        assertThat(e.getMessage()).contains("not signed by the pinned log key");
    }

    @Test
    void round_checkpointForkedAtTheSameSize_refused() throws Exception {
        log.request("rene", "relay", AgentLog.relay("exit1"));
        Agent agent = agentAfterFirstRound();
        AgentLog other = new AgentLog();
        other.request("rene", "relay", AgentLog.relay("exit2"));
        host.pretend = other.entries;

        AgentException e = assertRefusedWritingNothing(agent, Check.CONSISTENCY);

        assertThat(e.getMessage()).contains("forked");
    }

    @Test
    void round_checkpointInconsistentWithTheKeptOne_refused() throws Exception {
        log.request("rene", "relay", AgentLog.relay("exit1"));
        Agent agent = agentAfterFirstRound();
        AgentLog other = new AgentLog(); // another history that grows past the kept size
        long id = other.request("rene", "relay", AgentLog.relay("exit2"));
        other.approve("nora", id);
        host.pretend = other.entries;

        AgentException e = assertRefusedWritingNothing(agent, Check.CONSISTENCY);

        assertThat(e.getMessage()).contains("not proven to extend the kept checkpoint of size 2");
    }

    @Test
    void round_newerCheckpointIsSmaller_refusedAsRollback() throws Exception {
        log.request("rene", "relay", AgentLog.relay("exit1"));
        Agent agent = agentAfterFirstRound();
        host.pretend = log.entries.subList(0, 1);

        AgentException e = assertRefusedWritingNothing(agent, Check.CHECKPOINT_SIZE);

        assertThat(e.getMessage()).contains("size 1, smaller than the checkpoint of size 2");
    }

    @Test
    void round_changeOlderThanTheOneApplied_refusedAsRollback() throws Exception {
        long older = log.request("rene", "relay", AgentLog.relay("exitA"));
        long newer = log.request("rene", "relay", AgentLog.relay("exitB"));
        log.approve("nora", newer);
        host.acceptReports = false; // the host swallows the report of the apply ...
        Agent agent = agentAfterFirstRound();
        assertThat(agent.appliedChange()).contains(newer);
        log.after(Duration.ofHours(25));
        log.append(log.ledger.expireDue(log.now)); // ... lets the applied change expire in the log ...
        log.approve("anna", older); // ... and gets the older one approved

        AgentException e = assertRefusedApplyingNothing(agent, Check.CHANGE_ORDER);

        assertThat(e.getMessage()).contains("change " + older).contains("not above change " + newer);
    }

    @Test
    void round_baseIsNotWhatIsApplied_refused() throws Exception {
        host.acceptReports = false; // the log never learns that exitA was applied
        log.approvedRelay("exitA");
        Agent agent = agentAfterFirstRound();
        long next = log.approvedRelay("exitB"); // requested against the log's view: no configuration

        AgentException e = assertRefusedApplyingNothing(agent, Check.BASE);

        assertThat(e.getMessage()).contains("change " + next).contains("none (a first configuration)")
                .contains(ConfigHash.sha256Hex(AgentLog.relay("exitA")));
    }

    /** A policy that replaces nora's key, requested by rene; returns the policy change id. */
    private long requestPolicyWithoutNorasKey() {
        ObjectNode doc = (ObjectNode) AgentLog.POLICY.document().deepCopy();
        ArrayNode keys = ((ObjectNode) doc.get("principals").get("nora")).putArray("keys");
        keys.add(AgentLog.seeded("nora", 9).verifierKey().toString());
        return log.request("rene", "policy", doc);
    }

    @Test
    void round_hostHidesThePolicyActivationThatRemovedTheApprover_refused() throws Exception {
        Agent agent = agentAfterFirstRound();
        log.approvedRelay("exit1");
        long policyChange = requestPolicyWithoutNorasKey();
        log.approve("nora", policyChange);
        log.approve("anna", policyChange); // activation and supersession follow at once
        int activation = log.entries.size() - 2;
        assertThat(log.entries.get(activation).type()).isEqualTo("policy.activated");
        host.servedEntries = list -> {
            List<byte[]> copy = new ArrayList<>(list);
            copy.remove(activation);
            return copy;
        };

        AgentException e = assertRefusedWritingNothing(agent, Check.ENTRIES);

        assertThat(e.getMessage()).contains("where entry " + activation + " belongs")
                .contains("hidden, added or reordered");
    }

    @Test
    void round_hostCutsTheLogBeforeThePolicyActivation_appliesNothing() throws Exception {
        Agent agent = agentAfterFirstRound();
        log.approvedRelay("exit1");
        long policyChange = requestPolicyWithoutNorasKey();
        log.approve("nora", policyChange);
        log.approve("anna", policyChange);
        // A checkpoint that ends right after the approval: the activation is owed but not there.
        host.pretend = log.entries.subList(0, log.entries.size() - 2);

        Agent.RoundResult r = agent.round();

        assertThat(r.action()).isEqualTo(Agent.Action.WAITING);
        assertThat(r.notes()).anyMatch(n -> n.contains("middle of a batch"));
        assertThat(target).doesNotExist();
        assertThat(hookRuns()).isEmpty();
        assertThat(host.reports).isEmpty();
    }

    @Test
    void round_jtiReplayed_refused() throws Exception {
        Agent agent = agentAfterFirstRound();
        long id = log.request("rene", "relay", AgentLog.relay("exit1"));
        String decision = log.decisionStatement("nora", id, true);
        log.submit(decision, StatementType.DECISION);
        log.forge(EntryType.CHANGE_DECIDED, decision, facts(id, "approved"));

        AgentException e = assertRefusedWritingNothing(agent, Check.LEDGER);

        assertThat(e.getMessage()).contains("replayed");
    }

    @Test
    void round_policyActivatedWithoutTheQuorumOfThePreviousPolicy_refused() throws Exception {
        Agent agent = agentAfterFirstRound();
        long policyChange = requestPolicyWithoutNorasKey();
        log.approve("nora", policyChange); // one of the two approvals the policy rule needs
        ObjectNode doc = (ObjectNode) log.ledger.change(policyChange).orElseThrow().config();
        ObjectNode f = facts(policyChange, "applied");
        f.set("policy", doc);
        f.put("policy_sha256", ConfigHash.sha256Hex(doc));
        log.forge(EntryType.POLICY_ACTIVATED, null, f);
        // Then a relay change approved by nora's new key holder would follow; the agent never gets there.

        AgentException e = assertRefusedWritingNothing(agent, Check.LEDGER);

        assertThat(e.getMessage()).contains("policy.activated");
    }

    @Test
    void round_configurationBreaksAGuard_refused() throws Exception {
        Agent agent = agentAfterFirstRound();
        ObjectNode wide = AgentLog.relay("exit1");
        ((ArrayNode) wide.get("exit_policy")).removeAll().add("accept *:*");
        String request = log.sign("rene", new org.foureyes.statement.ChangeRequestClaims("relay",
                java.util.Optional.empty(), wide, "open everything", false));
        long id = log.entries.size();
        log.forge(EntryType.CHANGE_REQUESTED, request,
                facts(id, "requested").put("component", "relay"));
        String sha = Agent.sha256Hex(request.getBytes(StandardCharsets.US_ASCII));
        log.forge(EntryType.CHANGE_DECIDED, log.sign("nora", DecisionClaims.approve(id, sha)), facts(id, "approved"));

        AgentException e = assertRefusedWritingNothing(agent, Check.LEDGER);

        assertThat(e.getMessage()).contains("guard-failed").contains("exit-policy-ends-with-reject-all");
    }

    @Test
    void round_approvalPastApplyTtl_refused() throws Exception {
        long id = log.approvedRelay("exit1");
        log.after(Duration.ofHours(25));
        log.request("anna", "monitor", AgentLog.monitor(true)); // the log moves on; nobody logged the expiry

        AgentException e = assertRefusedApplyingNothing(agent(), Check.APPLY_TTL);

        assertThat(e.getMessage()).contains("change " + id).contains("apply_ttl PT24H ran out at 2026-11-26T08:00:00Z");
        assertThat(target).doesNotExist();
    }

    @Test
    void round_fewerWitnessesThanTheQuorum_refused() throws Exception {
        SignerKey w1 = AgentLog.seeded("witness.example.net/w1", 11);
        SignerKey w2 = AgentLog.seeded("witness.example.org/w2", 12);
        witnesses = List.of(WitnessKey.forSigner(w1), WitnessKey.forSigner(w2));
        quorum = 2;
        log.approvedRelay("exit1");
        host.witnesses = List.of(w1);

        AgentException e = assertRefusedWritingNothing(agent(), Check.COSIGNATURES);

        assertThat(e.getMessage()).contains("cosigned by 1").contains("but 2 must cosign");

        host.witnesses = List.of(w2, w1);
        assertThat(agent().round().action()).isEqualTo(Agent.Action.APPLIED);
    }

    @Test
    void round_genesisPolicyIsNotThePinnedOne_refused() throws Exception {
        pinnedPolicy = "0".repeat(64);

        AgentException e = assertRefusedWritingNothing(agent(), Check.GENESIS);

        assertThat(e.getMessage()).contains("pins " + "0".repeat(64));
    }
}
