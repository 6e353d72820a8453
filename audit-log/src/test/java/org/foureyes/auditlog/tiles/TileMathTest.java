package org.foureyes.auditlog.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TileMathTest {

    @Test
    void tiles_size70000_asInTheSpecification() {
        long s = 70_000;
        assertEquals(273, TileMath.fullTiles(s, 0));
        assertEquals(112, TileMath.partialWidth(s, 0));
        assertEquals(1, TileMath.fullTiles(s, 1));
        assertEquals(17, TileMath.partialWidth(s, 1));
        assertEquals(0, TileMath.fullTiles(s, 2));
        assertEquals(1, TileMath.partialWidth(s, 2));
        assertEquals(3, TileMath.levels(s));
        assertEquals(List.of(TileId.hashes(0, 273, 112), TileId.hashes(1, 1, 17), TileId.hashes(2, 0, 1)),
                TileMath.partialTiles(s));
        // 273 + 1 full tiles and three partial ones
        assertEquals(277, TileMath.newHashTiles(0, s).size());
        assertEquals(274, TileMath.newBundles(0, s).size());
    }

    @Test
    void tiles_size256_fullLevel0AndPartialLevel1OfWidth1() {
        assertEquals(List.of(TileId.hashes(0, 0, 256), TileId.hashes(1, 0, 1)), TileMath.newHashTiles(0, 256));
        assertEquals(List.of(TileId.entries(0, 256)), TileMath.newBundles(0, 256));
    }

    @Test
    void widthOf_tilesAroundTheEdge_fullPartialOrAbsent() {
        assertEquals(256, TileMath.widthOf(0, 0, 257));
        assertEquals(1, TileMath.widthOf(0, 1, 257));
        assertEquals(0, TileMath.widthOf(0, 2, 257));
        assertEquals(1, TileMath.widthOf(TileId.ENTRIES, 1, 257));
        assertEquals(0, TileMath.widthOf(9, 0, Long.MAX_VALUE));
        assertEquals(127, TileMath.partialWidth(Long.MAX_VALUE, 7));
    }

    @Test
    void newHashTiles_fromAnEarlierSize_onlyCompletedAndNewPartialTiles() {
        // 300 -> 600: tile 0/001 completes (it was partial at 300), 0/002 is partial, 1/000 widens.
        assertEquals(List.of(TileId.hashes(0, 1, 256), TileId.hashes(0, 2, 88), TileId.hashes(1, 0, 2)),
                TileMath.newHashTiles(300, 600));
        assertEquals(List.of(), TileMath.newHashTiles(0, 0));
    }
}
