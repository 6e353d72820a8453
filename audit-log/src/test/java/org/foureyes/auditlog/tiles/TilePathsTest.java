package org.foureyes.auditlog.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Known answers from C2SP tlog-tiles ("Merkle Tree" and "Partial Tiles"). */
class TilePathsTest {

    @Test
    void encodeIndex_specificationExample_isX001X234067() {
        assertEquals("x001/x234/067", TilePaths.encodeIndex(1234067));
    }

    @Test
    void encodeIndex_smallAndBoundaryIndexes_arePaddedToGroupsOfThree() {
        assertEquals("000", TilePaths.encodeIndex(0));
        assertEquals("005", TilePaths.encodeIndex(5));
        assertEquals("999", TilePaths.encodeIndex(999));
        assertEquals("x001/000", TilePaths.encodeIndex(1000));
        assertEquals("x001/x000/000", TilePaths.encodeIndex(1_000_000));
    }

    @Test
    void path_fullPartialAndBundle_matchTheSpecification() {
        assertEquals("tile/0/x001/x234/067", TileId.hashes(0, 1234067, 256).path());
        assertEquals("tile/0/x001/x234/067.p/8", TileId.hashes(0, 1234067, 8).path());
        assertEquals("tile/1/000.p/17", TileId.hashes(1, 0, 17).path());
        assertEquals("tile/entries/273.p/112", TileId.entries(273, 112).path());
        assertEquals("tile/entries/000", TileId.entries(0, 256).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tile/0/x001/x234/067", "tile/0/x001/x234/067.p/8", "tile/entries/273.p/112",
            "tile/63/000", "tile/2/000.p/1", "tile/entries/x001/000.p/255"})
    void parse_canonicalPath_roundTrips(String path) {
        assertEquals(path, TilePaths.parse(path).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tile/00/000", "tile/64/000", "tile/0/0", "tile/0/0000", "tile/0/001/002",
            "tile/0/x000/001", "tile/0/000.p/256", "tile/0/000.p/0", "tile/0/000.p/08", "tile/0/000.p",
            "tile/0/", "tile/x/000", "tiles/0/000", "tile/0/000.p/8/9", "tile/entries/-01", "tile/0/x01/000"})
    void parse_nonCanonicalPath_isRefused(String path) {
        assertThrows(IllegalArgumentException.class, () -> TilePaths.parse(path));
    }
}
