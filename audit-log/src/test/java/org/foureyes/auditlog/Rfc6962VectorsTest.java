package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Known-answer vectors of transparency-dev/merkle (src/test/resources/testdata/rfc6962). */
class Rfc6962VectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** The eight leaf inputs behind the vectors (testdata/README.md). */
    static final List<byte[]> LEAVES = Stream.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f").map(HEX::parseHex).toList();

    /** Root hashes of the trees of size 0 to 8 over {@link #LEAVES}. */
    static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @TestFactory
    Stream<DynamicTest> verifyInclusion_vectors_acceptHappyPathsAndRejectWantErr() throws Exception {
        List<Path> files = vectorFiles("inclusion");
        assertThat(files).hasSizeGreaterThan(30);
        return files.stream().map(f -> DynamicTest.dynamicTest(name(f), () -> {
            JsonNode v = JSON.readTree(f.toFile());
            long index = v.get("leafIdx").asLong();
            long size = v.get("treeSize").asLong();
            byte[] leaf = b64(v.get("leafHash"));
            byte[] root = b64(v.get("root"));
            List<byte[]> proof = proof(v.get("proof"));
            if (v.get("wantErr").asBoolean()) {
                assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, leaf, proof, root))
                        .as(v.get("desc").asText()).isInstanceOf(ProofException.class);
            } else {
                ProofVerifier.verifyInclusion(index, size, leaf, proof, root);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> verifyConsistency_vectors_acceptHappyPathsAndRejectWantErr() throws Exception {
        List<Path> files = vectorFiles("consistency");
        assertThat(files).hasSizeGreaterThan(30);
        return files.stream().map(f -> DynamicTest.dynamicTest(name(f), () -> {
            JsonNode v = JSON.readTree(f.toFile());
            long size1 = v.get("size1").asLong();
            long size2 = v.get("size2").asLong();
            byte[] root1 = b64(v.get("root1"));
            byte[] root2 = b64(v.get("root2"));
            List<byte[]> proof = proof(v.get("proof"));
            if (v.get("wantErr").asBoolean()) {
                assertThatThrownBy(() -> ProofVerifier.verifyConsistency(size1, size2, root1, root2, proof))
                        .as(v.get("desc").asText()).isInstanceOf(ProofException.class);
            } else {
                ProofVerifier.verifyConsistency(size1, size2, root1, root2, proof);
            }
        }));
    }

    @Test
    void compactRange_readmeLeaves_rootsMatchTable() {
        CompactRange range = CompactRange.empty();
        assertThat(HEX.formatHex(range.root())).isEqualTo(ROOTS.get(0));
        for (int i = 0; i < LEAVES.size(); i++) {
            range.append(Rfc6962.leafHash(LEAVES.get(i)), null);
            assertThat(HEX.formatHex(range.root())).as("size %d", i + 1).isEqualTo(ROOTS.get(i + 1));
        }
    }

    @Test
    void emptyRoot_always_isSha256OfEmptyString() {
        assertThat(HEX.formatHex(Rfc6962.emptyRoot())).isEqualTo(ROOTS.get(0));
    }

    @Test
    void storeProofs_readmeLeaves_matchHappyPathVectors() throws Exception {
        // Proofs generated from stored subtrees must be byte-identical to the reference proofs.
        InMemoryTreeForTest tree = new InMemoryTreeForTest();
        for (byte[] leaf : LEAVES) {
            tree.append(Rfc6962.leafHash(leaf));
        }
        int checked = 0;
        for (Path f : vectorFiles("inclusion")) {
            JsonNode v = JSON.readTree(f.toFile());
            if (v.get("wantErr").asBoolean() || v.get("treeSize").asLong() > LEAVES.size()) {
                continue;
            }
            List<byte[]> got = MerkleProofs.inclusion(v.get("leafIdx").asLong(), v.get("treeSize").asLong(), tree);
            assertThat(b64List(got)).as(name(f)).isEqualTo(b64List(proof(v.get("proof"))));
            checked++;
        }
        for (Path f : vectorFiles("consistency")) {
            JsonNode v = JSON.readTree(f.toFile());
            if (v.get("wantErr").asBoolean() || v.get("size2").asLong() > LEAVES.size()) {
                continue;
            }
            List<byte[]> got = MerkleProofs.consistency(v.get("size1").asLong(), v.get("size2").asLong(), tree);
            assertThat(b64List(got)).as(name(f)).isEqualTo(b64List(proof(v.get("proof"))));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    static List<Path> vectorFiles(String kind) throws IOException, URISyntaxException {
        URL url = Rfc6962VectorsTest.class.getResource("/testdata/rfc6962/" + kind);
        if (url == null) {
            fail("test resources missing: /testdata/rfc6962/" + kind);
        }
        try (Stream<Path> s = Files.walk(Path.of(url.toURI()))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String name(Path f) {
        return f.getParent().getFileName() + "/" + f.getFileName();
    }

    private static byte[] b64(JsonNode n) {
        return n == null || n.isNull() ? null : Base64.getDecoder().decode(n.asText());
    }

    private static List<byte[]> proof(JsonNode n) {
        List<byte[]> out = new ArrayList<>();
        if (n != null && !n.isNull()) {
            n.forEach(e -> out.add(b64(e)));
        }
        return out;
    }

    private static List<String> b64List(List<byte[]> l) {
        return l.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
    }

}
