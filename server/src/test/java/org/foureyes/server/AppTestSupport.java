package org.foureyes.server;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.api.Receipt;
import org.foureyes.server.core.EntryDraft;
import org.foureyes.server.core.LogAppender;
import org.foureyes.server.core.LogKeySigner;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.TestDatabase;
import org.jdbi.v3.core.Jdbi;

/** Starts the whole service on port 0 against a test database, with its data and key in a temp dir. */
public final class AppTestSupport {
    public static final String ORIGIN = "foureyes.test/tor-exit-log";

    private AppTestSupport() {
    }

    /** The project's policies/tor-exit.yml (surefire passes the project root). */
    public static Path policyFile() {
        String root = System.getProperty("foureyes.projectRoot");
        Path base = root != null ? Path.of(root) : Path.of("..");
        return base.resolve("policies/tor-exit.yml").toAbsolutePath().normalize();
    }

    /** A port nothing listens on right now (for a server started in another JVM). */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * config.yml for {@code java -jar foureyes.jar server}: SQLite under {@code data} with the
     * quick start's pragmas, both connectors on 127.0.0.1, no request log, WARN logging, and no
     * limit of open changes per requester (the load tests post as one principal on purpose).
     */
    public static String serverJarConfig(Path data, Path policy, String origin, int port, int adminPort,
            int maxConnections) {
        return """
                dataDir: %1$s
                policyFile: %2$s
                log:
                  origin: %3$s
                  keyFile: %1$s/log.key
                database:
                  driverClass: org.sqlite.JDBC
                  url: "jdbc:sqlite:%1$s/foureyes.db?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true"
                  maxSize: %6$d
                  minSize: 1
                  initialSize: 1
                  validationQuery: "SELECT 1"
                server:
                  applicationConnectors:
                    - {type: http, bindHost: 127.0.0.1, port: %4$d}
                  adminConnectors:
                    - {type: http, bindHost: 127.0.0.1, port: %5$d}
                  requestLog:
                    appenders: []
                workflow:
                  maxOpenChangesPerPrincipal: 0
                logging:
                  level: WARN
                """.formatted(data, policy, origin, port, adminPort, maxConnections);
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An app (not yet started: call before()) on {@code db}, with data and log key under {@code dataDir}. */
    public static DropwizardAppExtension<FoureyesConfiguration> app(TestDatabase db, Path dataDir) {
        return new DropwizardAppExtension<>(
                FoureyesApplication.class,
                ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", dataDir.toString()),
                ConfigOverride.config("policyFile", policyFile().toString()),
                ConfigOverride.config("log.origin", ORIGIN),
                ConfigOverride.config("log.keyFile", dataDir.resolve("log.key").toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()));
    }

    /**
     * Appends {@code count} {@code change.expired} entries through a second appender on the same
     * database, as another instance would, and waits for all of them. They are well-formed log
     * entries that the ledger does not replay (no such changes exist), so they serve tests that
     * read the log (proofs, exports, releases), not the workflow; the service's ledger stops
     * taking statements once it sees them.
     */
    public static void appendLogOnlyEntries(TestDatabase db, SignerKey logKey, int count) throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender second = new LogAppender(jdbi, Dialect.of(jdbi), new LogKeySigner(logKey, ORIGIN),
                Clock.systemUTC(), new MetricRegistry(), LogAppender.Settings.DEFAULT);
        second.start();
        try {
            JsonNodeFactory f = JsonNodeFactory.instance;
            List<CompletableFuture<Receipt>> fs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                fs.add(second.append(EntryDraft.of("change.expired", null,
                        seq -> f.objectNode().put("change", seq).put("state", "expired").put("reason", "test"))));
            }
            for (CompletableFuture<Receipt> fut : fs) {
                fut.get(120, TimeUnit.SECONDS);
            }
        } finally {
            second.stop();
        }
    }
}
