package org.foureyes.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.server.WorkflowClient.relay;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's bad day, on the whole service (SQLite files in a temp directory): the database
 * recreated or restored from an older backup under the same key, key file faults, corrupted
 * stored hashes, the database gone while running. Beside the kill -9 test ({@code CrashSafetyIT}).
 */
class StorageFaultTest {
    private static final List<String> DB_FILES = List.of("foureyes.db", "foureyes.db-wal", "foureyes.db-shm");

    private Path data;
    private DropwizardAppExtension<FoureyesConfiguration> app;

    @BeforeEach
    void setUp() {
        TestApp.CLOCK = TestClock.ticking();
        data = AppTestSupport.tempDir("foureyes-faults");
        dbUrl = TestDatabase.sqliteUrl(data.resolve("foureyes.db"));
    }

    @AfterEach
    void tearDown() {
        stop();
    }

    private String dbUrl;
    private String dbDriver = "org.sqlite.JDBC";

    private DropwizardAppExtension<FoureyesConfiguration> newApp() {
        return new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", keyFile().toString()),
                ConfigOverride.config("database.driverClass", dbDriver),
                ConfigOverride.config("database.url", dbUrl));
    }

    private Path keyFile() {
        return data.resolve("log.key");
    }

    private WorkflowClient start() throws Exception {
        app = newApp();
        app.before();
        return new WorkflowClient(app.client(), app.getLocalPort());
    }

    private void stop() {
        if (app != null) {
            app.after();
            app = null;
        }
    }

    /** Starting must fail; the failure's whole chain of messages. */
    private String startFails() {
        DropwizardAppExtension<FoureyesConfiguration> failing = newApp();
        try {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(failing::before);
            assertThat(t).as("the server must refuse to start").isNotNull();
            StringBuilder all = new StringBuilder();
            for (Throwable c = t; c != null; c = c.getCause()) {
                all.append(c).append('\n');
            }
            return all.toString();
        } finally {
            try {
                failing.after();
            } catch (RuntimeException ignored) {
                // it never started
            }
        }
    }

    private void copyDatabase(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : DB_FILES) {
            Files.deleteIfExists(to.resolve(f));
            if (Files.exists(from.resolve(f))) {
                Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void deleteDatabase() throws Exception {
        for (String f : DB_FILES) {
            Files.deleteIfExists(data.resolve(f));
        }
    }

    // ---------------------------------------------------------------- item 10: forks under the log's own key

    @Test
    void start_recreatedDatabaseSameKey_refusesInsteadOfSigningASecondGenesis() throws Exception {
        WorkflowClient api = start();
        api.request("rene", "relay", relay("before"));
        assertThat(api.logSize()).isEqualTo(2);
        stop();
        deleteDatabase();

        String why = startFails();
        assertThat(why).contains("refusing to sign").contains("the database is empty")
                .contains("signed size 2").contains("Restore the newest backup").contains("new origin");
    }

    @Test
    void start_restoredOlderBackup_refusesNamingBothCheckpoints() throws Exception {
        WorkflowClient api = start();
        stop();
        Path backup = data.resolve("backup");
        copyDatabase(data, backup); // the log at size 1
        api = start();
        api.request("rene", "relay", relay("afterBackup"));
        assertThat(api.logSize()).isEqualTo(2);
        stop();
        copyDatabase(backup, data);

        String why = startFails();
        assertThat(why).contains("refusing to sign").contains("latest checkpoint has size 1")
                .contains("signed size 2").contains("older backup");
    }

    @Test
    void start_sameDatabaseAfterCleanRestart_starts() throws Exception {
        WorkflowClient api = start();
        api.request("rene", "relay", relay("one"));
        stop();
        api = start();
        api.request("rene", "relay", relay("two"));
        assertThat(api.logSize()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- items 11, 12: key file faults

    @Test
    void start_keyFileMissingOnNonEmptyLog_refusesWithoutCreatingAKey() throws Exception {
        start();
        stop();
        Files.delete(keyFile());

        String why = startFails();
        assertThat(why).contains("does not exist").contains("Restore the key file");
        assertThat(keyFile()).doesNotExist();
    }

    @Test
    void start_keyFileMode0000_refusesNamingTheFileAndChmod() throws Exception {
        start();
        stop();
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("---------"));

        String why = startFails();
        assertThat(why).contains(keyFile().toString()).contains("chmod 600").doesNotContain("Collection is empty");
    }

    @Test
    void start_keyFileEmpty_refusesSayingSo() throws Exception {
        start();
        stop();
        Files.write(keyFile(), new byte[0]);

        assertThat(startFails()).contains(keyFile().toString()).contains("is empty");
    }

    // ---------------------------------------------------------------- item 13: corrupted stored hashes

    @Test
    void inclusionProof_leafHashFlippedWhileRunning_storageCorruptHealthRedAndAppendsRefused() throws Exception {
        WorkflowClient api = start();
        api.request("rene", "relay", relay("one"));
        api.request("rene", "relay", relay("two"));
        assertThat(api.get("/v1/log/proof/inclusion?index=1&size=3").status()).isEqualTo(200);
        flipLeafHash(1);

        WorkflowClient.Answer proof = api.get("/v1/log/proof/inclusion?index=1&size=3");
        assertThat(proof.status()).as(proof.body()).isEqualTo(500);
        assertThat(proof.json().get("type").asText()).isEqualTo("https://foureyes.dev/problems/storage-corrupt");
        WorkflowClient.Answer consistency = api.get("/v1/log/proof/consistency?from=1&to=3");
        assertThat(consistency.status()).as(consistency.body()).isEqualTo(500);

        String health = health();
        assertThat(health).contains("\"storedLog\":{\"healthy\":false");
        WorkflowClient.Answer append = api.post("/v1/changes", api.requestStatement("rene", "relay",
                relay("three"), false));
        assertThat(append.status()).as(append.body()).isEqualTo(503);
        assertThat(api.logSize()).isEqualTo(3);
    }

    @Test
    void start_leafHashFlipped_refusesToStartNamingTheDisagreement() throws Exception {
        WorkflowClient api = start();
        api.request("rene", "relay", relay("one"));
        stop();
        flipLeafHash(0);

        assertThat(startFails()).contains("refusing to start").contains("signed checkpoint has root")
                .contains("Restore the database");
    }

    private void flipLeafHash(long seq) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(dbUrl);
                java.sql.PreparedStatement st = c.prepareStatement(
                        "UPDATE log_entries SET leaf_hash = ? WHERE seq = ?")) {
            byte[] bad = new byte[32];
            bad[0] = 1;
            st.setBytes(1, bad);
            st.setLong(2, seq);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    private String health() {
        return app.client().target("http://localhost:" + app.getAdminPort() + "/healthcheck").request()
                .get().readEntity(String.class);
    }

    // ---------------------------------------------------------------- item 14: the database disappears

    @Test
    void checkpoint_databaseDroppedWhileRunning_answers503WithRetryAfter() throws Exception {
        try (TestDatabase pg = TestDatabase.postgres()) {
            dbUrl = pg.url();
            dbDriver = pg.driverClass();
            WorkflowClient api = start();
            assertThat(api.get("/v1/log/checkpoint").status()).isEqualTo(200);
            String schema = pg.url().replaceAll(".*currentSchema=", "");
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(TestDatabase.postgresBaseUrl());
                    java.sql.Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }

            for (String path : List.of("/v1/log/checkpoint", "/v1/log/entries?start=0&end=1",
                    "/v1/log/proof/inclusion?index=0&size=1")) {
                jakarta.ws.rs.core.Response r = app.client().target("http://localhost:" + app.getLocalPort() + path)
                        .request().get();
                String body = r.readEntity(String.class);
                assertThat(r.getStatus()).as(path + ": " + body).isEqualTo(503);
                assertThat(r.getHeaderString("Retry-After")).as(path).isNotBlank();
                assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
                assertThat(body).contains("database-unavailable");
            }
            assertThat(health()).contains("\"storedLog\":{\"healthy\":false").contains("cannot be read");
            stop();
        }
    }
}
