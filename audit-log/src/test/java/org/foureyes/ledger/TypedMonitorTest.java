package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.ledger.LedgerFlowTest.problem;
import static org.foureyes.ledger.TorExitLog.json;
import static org.foureyes.ledger.TorExitLog.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.foureyes.policy.ChangeState;
import org.foureyes.statement.StatementType;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: the monitor's capture is typed (the exit mark, and lists that can only narrow
 * it), so a request that widens it is refused when it arrives, before anyone can approve it.
 */
class TypedMonitorTest {

    /** The monitor with anna's capture: the marked traffic, then whatever {@code extra} adds to capture. */
    private static ObjectNode monitorWith(String extra) {
        ObjectNode m = monitor(true);
        ((ObjectNode) m.get("capture")).setAll(json("{" + extra + "}"));
        return m;
    }

    private static Outcome request(TorExitLog log, ObjectNode config) {
        return log.submit(log.requestStatement("anna", "monitor", config, "narrow the capture", false),
                StatementType.CHANGE_REQUEST);
    }

    @Test
    void request_issue13FilterString_refusedOnArrivalAndNothingPending() throws Exception {
        TorExitLog log = new TorExitLog();
        int before = log.entries.size();

        // The configuration from the issue: string matching took it for a narrowing; it captures everything.
        Outcome o = request(log, monitorWith("\"filter\": \"ip[1] & 0xfc == 32 and (tcp)or(ip)\""));

        assertThat(problem(o)).isEqualTo("guard-failed");
        assertThat(((Outcome.Refused) o).refusal().reason()).contains("guard 'schema'").contains("filter")
                .contains("guard 'only-marked-exit-traffic'");
        assertThat(log.ledger.changes("monitor", ChangeState.REQUESTED)).isEmpty();
        assertThat(log.entries.subList(before, log.entries.size())).extracting(e -> e.type())
                .containsOnly("statement.refused");
    }

    @Test
    void request_narrowingWithFilterOperators_refusedOnArrival() throws Exception {
        TorExitLog log = new TorExitLog();

        for (String narrow : new String[] {
                "\"narrow\": {\"protocols\": [\"tcp or ip\"]}",
                "\"narrow\": {\"protocols\": [\"tcp)or(ip\"]}",
                "\"narrow\": {\"dst_ports\": [\"443 or ip\"]}",
                "\"narrow\": {\"dst_ports\": []}",
                "\"narrow\": {}",
                "\"narrow\": {\"hosts\": [\"192.0.2.1\"]}"}) {
            assertThat(problem(request(log, monitorWith(narrow)))).as(narrow).isEqualTo("guard-failed");
        }
        assertThat(log.ledger.changes("monitor", ChangeState.REQUESTED)).isEmpty();
    }

    @Test
    void request_typedNarrowing_acceptedAndApprovedByOneOtherCustodian() throws Exception {
        TorExitLog log = new TorExitLog();

        long c = log.request("anna", "monitor",
                monitorWith("\"narrow\": {\"protocols\": [\"tcp\"], \"dst_ports\": [80, 443]}"));
        log.approve("rene", c);

        assertThat(log.ledger.change(c).orElseThrow().state()).isEqualTo(ChangeState.APPROVED);
    }
}
