package org.foureyes.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.MerkleProofs;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.tiles.EntryBundle;
import org.foureyes.auditlog.tiles.MirrorException;
import org.foureyes.auditlog.tiles.TileId;
import org.foureyes.auditlog.tiles.TileMath;
import org.foureyes.auditlog.tiles.TileSource;
import org.foureyes.auditlog.tiles.TiledLog;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.auditlog.verify.VerificationResult;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.cli.ExportCommand;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.server.db.StoredEntry;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's {@code /tlog/} (C2SP tlog-tiles) on SQLite, a mirror written by
 * {@code foureyes export --tiles} and served by {@code python3 -m http.server}, and lying mirrors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TilesAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private SignerKey key;
    private VerifierKey logKey;
    private JdbiLogStore store;

    @BeforeAll
    void start() throws Exception {
        Path data = AppTestSupport.tempDir("foureyes-tiles");
        db = TestDatabase.sqlite();
        app = AppTestSupport.app(db, data);
        app.before();
        key = SignerKeyFile.read(data.resolve("log.key"), null);
        logKey = key.verifierKey();
        AppTestSupport.appendLogOnlyEntries(db, key, 600);
        store = new JdbiLogStore(db.newJdbi());
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        if (db != null) {
            db.close();
        }
    }

    private String base() {
        return "http://localhost:" + app.getLocalPort();
    }

    private Response get(String path, String acceptEncoding) {
        var b = app.client().target(base() + path).request();
        if (acceptEncoding != null) {
            b = b.header("Accept-Encoding", acceptEncoding);
        }
        return b.get();
    }

    /** The status of a GET, with the connection given back (the test client's pool is small). */
    private int status(String path) {
        try (Response r = get(path, null)) {
            return r.getStatus();
        }
    }

    private VerificationResult.Verified verify(TiledLog log) throws IOException {
        VerificationResult r = LogVerifier.builder(logKey).build().verify(log.ndjson(0), log.checkpointNote());
        assertThat(r).as(r.toString()).isInstanceOf(VerificationResult.Verified.class);
        return (VerificationResult.Verified) r;
    }

    @Test
    void tlog_servedLog_verifiesFromTilesAlone() throws Exception {
        TiledLog log = TiledLog.open(TileSource.url(URI.create(base() + "/tlog/")), logKey);
        assertThat(log.size()).isEqualTo(store.size());
        assertThat(verify(log).entries()).isEqualTo(store.size());
        long size = log.size();
        for (long i : new long[] {0, 255, 256, size - 1}) {
            ProofVerifier.verifyInclusion(i, size, Rfc6962.leafHash(store.entries(i, i + 1).get(0).entry()),
                    MerkleProofs.inclusion(i, size, log.hashes()), log.checkpoint().rootHash());
        }
    }

    @Test
    void tlog_resources_haveTheSpecifiedTypesAndCaching() throws Exception {
        Response cp = get("/tlog/checkpoint", null);
        assertThat(cp.getStatus()).isEqualTo(200);
        assertThat(cp.getHeaderString("Content-Type")).isEqualToIgnoringWhitespace("text/plain;charset=utf-8");
        assertThat(cp.getHeaderString("Cache-Control")).isEqualTo("max-age=5");
        assertThat(cp.readEntity(String.class)).startsWith(AppTestSupport.ORIGIN + "\n");

        Response tile = get("/tlog/tile/0/000", null);
        assertThat(tile.getStatus()).isEqualTo(200);
        assertThat(tile.getHeaderString("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(tile.getHeaderString("Cache-Control")).isEqualTo("max-age=31536000, immutable");
        byte[] bytes = tile.readEntity(byte[].class);
        assertThat(bytes).hasSize(8192);
        List<StoredEntry> first = store.entries(0, 256);
        for (int i = 0; i < 256; i++) {
            assertThat(java.util.Arrays.copyOfRange(bytes, 32 * i, 32 * i + 32)).isEqualTo(first.get(i).leafHash());
        }

        List<byte[]> entries = new ArrayList<>();
        first.forEach(e -> entries.add(e.entry()));
        Response plain = get("/tlog/tile/entries/000", "identity");
        assertThat(plain.getHeaderString("Content-Encoding")).isNull();
        assertThat(plain.readEntity(byte[].class)).isEqualTo(EntryBundle.encode(entries));
        Response gz = app.client().target(base() + "/tlog/tile/entries/000").request()
                .header("Accept-Encoding", "gzip").get();
        assertThat(gz.getHeaderString("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.getHeaderString("Vary")).contains("Accept-Encoding");
        gz.close();
    }

    @Test
    void tlog_partialTilesOfEverySignedSize_areServed() {
        long size = store.size();
        List<StoredCheckpoint> cps = store.checkpoints(0, size);
        assertThat(cps.size()).isGreaterThan(1);
        for (StoredCheckpoint c : cps) {
            for (TileId t : TileMath.partialTiles(c.size())) {
                assertThat(status("/tlog/" + t.path())).as(t.path()).isEqualTo(200);
                if (t.level() == 0) {
                    assertThat(status("/tlog/" + TileId.entries(t.index(), t.width()).path())).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void tlog_tilesBeyondTheCheckpointOrBadPaths_areNotFoundProblems() {
        long size = store.size();
        int w = TileMath.partialWidth(size, 0);
        for (String p : new String[] {"tile/0/002", "tile/0/002.p/" + (w + 1), "tile/entries/003.p/1", "tile/1/000",
                "tile/0/02", "tile/0/000.p/256", "tile/x/000"}) {
            try (Response r = get("/tlog/" + p, null)) {
                assertThat(r.getStatus()).as(p).isEqualTo(404);
                assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void exportTiles_servedByPythonHttpServer_verifiesAndIsIncremental(@TempDir Path dir) throws Exception {
        ExportCommand.TilesResult first = ExportCommand.exportTiles(URI.create(base()), dir, logKey.toString(), null);
        assertThat(first.written().fromSize()).isZero();
        long size = store.size();
        assertThat(first.written().size()).isEqualTo(size);
        assertThat(Files.exists(dir.resolve("tile/0/000"))).isTrue();
        assertThat(Files.exists(dir.resolve("tile/entries/000"))).isTrue();

        TiledLog fromDir = TiledLog.open(TileSource.directory(dir), logKey);
        assertThat(verify(fromDir).entries()).isEqualTo(size);
        Process server = StaticServer.start(dir);
        try {
            TiledLog fromHttp = TiledLog.open(TileSource.url(URI.create(StaticServer.url(server))), logKey);
            assertThat(verify(fromHttp).entries()).isEqualTo(size);
        } finally {
            StaticServer.stop(server);
        }

        ExportCommand.TilesResult again = ExportCommand.exportTiles(URI.create(base()), dir, null, null);
        assertThat(again.written().hashTiles()).isEqualTo(TileMath.partialTiles(size).size());
        assertThat(again.written().fromSize()).isEqualTo(size);
    }

    @Test
    void lyingMirror_alteredTile_isRefusedNamingTheTile(@TempDir Path dir) throws Exception {
        ExportCommand.exportTiles(URI.create(base()), dir, null, null);
        Path tile = dir.resolve("tile/0/000");
        byte[] b = Files.readAllBytes(tile);
        b[100] ^= 1;
        Files.write(tile, b);
        TiledLog log = TiledLog.open(TileSource.directory(dir), logKey);
        assertThatThrownBy(() -> log.bundle(0)).isInstanceOf(MirrorException.class)
                .hasMessageContaining("tile/0/000").hasMessageContaining("records");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> LogVerifier.builder(logKey).build().verify(log.ndjson(0), log.checkpointNote()));
        assertThat(e.getCause()).isInstanceOf(MirrorException.class);
    }

    @Test
    void lyingMirror_alteredPartialTile_isRefusedAgainstTheRoot(@TempDir Path dir) throws Exception {
        ExportCommand.exportTiles(URI.create(base()), dir, null, null);
        TileId partial = TileMath.partialTiles(store.size()).get(0);
        Path tile = dir.resolve(partial.path());
        byte[] b = Files.readAllBytes(tile);
        b[0] ^= 1;
        Files.write(tile, b);
        assertThatThrownBy(() -> TiledLog.open(TileSource.directory(dir), logKey)).isInstanceOf(MirrorException.class)
                .hasMessageContaining("checkpoint's root");
    }

    @Test
    void lyingMirror_checkpointOfAnotherKey_isRefused(@TempDir Path dir) throws Exception {
        ExportCommand.exportTiles(URI.create(base()), dir, null, null);
        SignerKey other = SignerKey.generate(AppTestSupport.ORIGIN);
        String note = Files.readString(dir.resolve("checkpoint"));
        String body = note.substring(0, note.indexOf("\n\n") + 1);
        Files.writeString(dir.resolve("checkpoint"), org.foureyes.auditlog.SignedCheckpoint.sign(
                org.foureyes.auditlog.Checkpoint.parse(body), other));
        assertThatThrownBy(() -> TiledLog.open(TileSource.directory(dir), logKey)).isInstanceOf(MirrorException.class)
                .hasMessageContaining("not signed by the pinned log key");
    }

    @Test
    void lyingMirror_bundleMissingAnEntry_isRefused(@TempDir Path dir) throws Exception {
        ExportCommand.exportTiles(URI.create(base()), dir, null, null);
        Path bundle = dir.resolve("tile/entries/001");
        List<byte[]> entries = new ArrayList<>(EntryBundle.decode(Files.readAllBytes(bundle), 256));
        entries.remove(17);
        Files.write(bundle, EntryBundle.encode(entries));
        TiledLog log = TiledLog.open(TileSource.directory(dir), logKey);
        assertThatThrownBy(() -> log.bundle(1)).isInstanceOf(MirrorException.class)
                .hasMessageContaining("tile/entries/001").hasMessageContaining("holds 255 entries, 256 expected");
    }

    @Test
    void exportTiles_directoryOfAnotherLog_isRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("checkpoint"), "other.example/log\n5\n"
                + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n\n— other.example/log AAAA\n");
        assertThatThrownBy(() -> ExportCommand.exportTiles(URI.create(base()), dir, null, null))
                .isInstanceOf(IOException.class).hasMessageContaining("holds the log other.example/log");
    }

}
