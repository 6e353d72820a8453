package org.foureyes.auditlog.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeSet;
import org.foureyes.auditlog.MerkleProofs;
import org.foureyes.auditlog.ProofVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proofs built only from served tiles, checked against the checkpoint's root, at sizes around every
 * tile boundary of the first two levels. The tiles are served by {@link TileBuilder} from the
 * complete-subtree hashes, as the server serves them from its store.
 */
class TileProofsTest {
    private static final long[] SIZES = {1, 2, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537};
    private static TestLog log;

    @BeforeAll
    static void build() {
        log = TestLog.of(65_537);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537})
    void proofsFromTiles_sizeAroundTileBoundary_verifyAgainstRoot(long size) throws Exception {
        byte[] root = log.root(size);
        TileHashReader tiles = TileHashReader.open(log.source(size, ""), size, root);
        assertArrayEquals(root, MerkleProofs.root(size, tiles));
        TreeSet<Long> indexes = new TreeSet<>(List.of(0L, size - 1, size / 2));
        for (long b : new long[] {255, 256, 257, 65_535, 65_536}) {
            if (b < size) {
                indexes.add(b);
            }
        }
        for (long i : indexes) {
            List<byte[]> proof = MerkleProofs.inclusion(i, size, tiles);
            ProofVerifier.verifyInclusion(i, size, org.foureyes.auditlog.Rfc6962.leafHash(log.entries.get((int) i)),
                    proof, root);
            assertEquals(MerkleProofs.inclusion(i, size, log).size(), proof.size());
        }
        for (long from : SIZES) {
            if (from <= size) {
                List<byte[]> proof = MerkleProofs.consistency(from, size, tiles);
                ProofVerifier.verifyConsistency(from, size, log.root(from), root, proof);
            }
        }
    }

    @Test
    void proofsFromTiles_size65537_fetchesAboutOneTilePer256Entries() throws Exception {
        long size = 65_537;
        TileHashReader tiles = TileHashReader.open(log.source(size, ""), size, log.root(size));
        MerkleProofs.inclusion(70, size, tiles);
        // the partial tiles 0/256.p/1 and 2/000.p/1 (65,537 has no level-1 partial), then the leaf
        // tile 0/000 and the full level-1 tile 1/000 above it
        assertEquals(4, tiles.fetched());
    }
}
