package org.foureyes.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.auditlog.verify.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.verify.CliFixtures.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptVerifierTest {
    static final ObjectMapper M = new ObjectMapper();
    static FlowLog log;
    static InMemoryLogStore store;
    static String checkpoint;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        log = FlowLog.ordinary();
        store = log.store();
        checkpoint = log.checkpoint();
    }

    /** The receipt of entry {@code seq}, as the server writes it. */
    static ObjectNode receipt(int seq) {
        ObjectNode o = M.createObjectNode();
        o.put("seq", seq);
        o.put("entry", new String(store.entryBytes(seq), StandardCharsets.UTF_8));
        o.put("checkpoint", checkpoint);
        ArrayNode p = o.putArray("proof");
        for (byte[] h : store.inclusionProof(seq, store.size())) {
            p.add(Base64.getEncoder().encodeToString(h));
        }
        return o;
    }

    static ReceiptVerifier.Result check(ObjectNode receipt) throws Exception {
        return ReceiptVerifier.verify(receipt.toString(), FlowLog.LOG_KEY.verifierKey());
    }

    @Test
    void verify_everyEntrysReceipt_valid() throws Exception {
        for (int seq = 0; seq < store.size(); seq++) {
            ReceiptVerifier.Result r = check(receipt(seq));
            assertThat(r).as("seq %d: %s", seq, r).isInstanceOf(ReceiptVerifier.Valid.class);
            assertThat(((ReceiptVerifier.Valid) r).entry().seq()).isEqualTo(seq);
        }
    }

    @Test
    void verify_wrongKey_checkpointSignatureFails() throws Exception {
        ReceiptVerifier.Result r = ReceiptVerifier.verify(receipt(3).toString(),
                FlowLog.seeded(FlowLog.ORIGIN, 5).verifierKey());
        assertThat(r).isInstanceOf(ReceiptVerifier.Invalid.class);
        assertThat(((ReceiptVerifier.Invalid) r).check()).isEqualTo("checkpoint-signature");
    }

    @Test
    void verify_alteredEntry_proofFails() throws Exception {
        ObjectNode o = receipt(3);
        o.put("entry", o.get("entry").textValue().replace("\"state\":\"applied\"", "\"state\":\"failed\""));
        ReceiptVerifier.Invalid r = (ReceiptVerifier.Invalid) check(o);
        assertThat(r.check()).isEqualTo("proof");
        assertThat(r.message()).contains("inclusion proof of entry 3").contains("does not verify");
    }

    @Test
    void verify_entryOfAnotherSeq_seqFails() throws Exception {
        ObjectNode o = receipt(3);
        o.put("seq", 4);
        ReceiptVerifier.Invalid r = (ReceiptVerifier.Invalid) check(o);
        assertThat(r.check()).isEqualTo("seq");
        assertThat(r.message()).isEqualTo("the receipt is for seq 4 but its entry has seq 3");
    }

    @Test
    void verify_alteredProof_proofFails() throws Exception {
        ObjectNode o = receipt(3);
        ArrayNode p = (ArrayNode) o.get("proof");
        byte[] h = Base64.getDecoder().decode(p.get(0).textValue());
        h[0] ^= 1;
        p.set(0, M.getNodeFactory().textNode(Base64.getEncoder().encodeToString(h)));
        assertThat(((ReceiptVerifier.Invalid) check(o)).check()).isEqualTo("proof");

        ObjectNode shorter = receipt(3);
        ((ArrayNode) shorter.get("proof")).remove(0);
        assertThat(((ReceiptVerifier.Invalid) check(shorter)).message()).contains("wrong inclusion proof size");

        ObjectNode notB64 = receipt(3);
        ((ArrayNode) notB64.get("proof")).set(0, M.getNodeFactory().textNode("not base64!"));
        assertThat(((ReceiptVerifier.Invalid) check(notB64)).message()).contains("proof element 0");
    }

    @Test
    void parse_malformedReceipts_refusedAsFormatErrors() {
        assertThatThrownBy(() -> ReceiptVerifier.parse("nope")).isInstanceOf(ReceiptFormatException.class);
        assertThatThrownBy(() -> ReceiptVerifier.parse("[]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ReceiptVerifier.parse("{\"seq\":1,\"seq\":2}")).isInstanceOf(ReceiptFormatException.class);
        ObjectNode o = receipt(1);
        o.put("extra", 1);
        assertThatThrownBy(() -> ReceiptVerifier.parse(o.toString())).hasMessageContaining("unknown member \"extra\"");
        ObjectNode neg = receipt(1);
        neg.put("seq", -1);
        assertThatThrownBy(() -> ReceiptVerifier.parse(neg.toString())).hasMessageContaining("seq");
    }


    @Test
    void cli_receipt_exitCodes() throws Exception {
        String key = FlowLog.LOG_KEY.verifierKey().toString();
        Path good = Files.writeString(tmp.resolve("good.json"), receipt(5).toString());
        Run ok = run("receipt", "--key", key, good.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).startsWith("receipt verified: entry 5 (change.decided, ");

        Run json = run("receipt", "--json", "--key", key, good.toString());
        assertThat(M.readTree(json.out()).get("verified").booleanValue()).isTrue();

        ObjectNode altered = receipt(5);
        altered.put("entry", altered.get("entry").textValue().replace("approved", "rejected"));
        Path bad = Files.writeString(tmp.resolve("bad.json"), altered.toString());
        Run failed = run("receipt", "--key", key, bad.toString());
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.err()).startsWith("foureyes-verify: FAILED: ");

        Run wrongKey = run("receipt", "--key", FlowLog.seeded(FlowLog.ORIGIN, 5).verifierKey().toString(),
                good.toString());
        assertThat(wrongKey.code()).isEqualTo(1);

        Path junk = Files.writeString(tmp.resolve("junk.json"), "hello");
        assertThat(run("receipt", "--key", key, junk.toString()).code()).isEqualTo(2);
        assertThat(run("receipt", "--key", key, tmp.resolve("missing.json").toString()).code()).isEqualTo(2);
        assertThat(run("receipt", good.toString()).code()).isEqualTo(2);
        assertThat(List.of(run("receipt", "--key", key).err())).allMatch(s -> s.contains("exactly one receipt"));
    }
}
