package org.foureyes.server.db;

import static org.junit.jupiter.api.Assertions.fail;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away database for one test class: a SQLite file in a temp directory, or a fresh
 * PostgreSQL schema ({@code fe_<random>}) that is dropped on {@link #close()}.
 *
 * <p>PostgreSQL is found at {@code FOUREYES_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). When it is unreachable the test
 * fails if {@code CI=true}, and is skipped with a message otherwise.
 */
public abstract class TestDatabase implements AutoCloseable {
    public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final List<ManagedDataSource> dataSources = new ArrayList<>();

    /** JDBC URL of this database (for SQLite with the pragmas the service uses). */
    public abstract String url();

    public abstract String driverClass();

    /** A data source factory as config.yml would give for this database. */
    public DataSourceFactory dataSourceFactory() {
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass(driverClass());
        f.setUrl(url());
        f.setMaxSize(8);
        f.setMinSize(1);
        f.setInitialSize(1);
        f.setValidationQuery("SELECT 1");
        return f;
    }

    /** A new, separate connection pool and Jdbi (as another server instance would have), migrated. */
    public Jdbi newJdbi() {
        try {
            ManagedDataSource ds = dataSourceFactory().build(new MetricRegistry(), "test-" + dataSources.size());
            dataSources.add(ds);
            Migrations.apply(ds);
            return Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
        } catch (Exception e) {
            throw new IllegalStateException("cannot open test database " + this, e);
        }
    }

    /**
     * Makes every insert into {@code table} fail (a trigger that raises), or stops that: a storage
     * failure in the middle of an append transaction, after the service has done its own work.
     */
    public void failInsertsInto(String table, boolean fail) throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            for (String sql : failInsertsSql(table, fail)) {
                s.execute(sql);
            }
        }
    }

    abstract List<String> failInsertsSql(String table, boolean fail);

    @Override
    public void close() throws Exception {
        for (ManagedDataSource ds : dataSources) {
            ds.stop();
        }
        dataSources.clear();
    }

    public static TestDatabase sqlite() {
        return new Sqlite(null);
    }

    /** SQLite in {@code file} (its directory is not deleted on close). */
    public static TestDatabase sqlite(Path file) {
        return new Sqlite(file);
    }

    /** A fresh PostgreSQL schema, or a skipped (failed, under CI) test when PostgreSQL is unreachable. */
    public static TestDatabase postgres() {
        return new Postgres();
    }

    /** The base PostgreSQL URL of the test server. */
    public static String postgresBaseUrl() {
        String url = System.getenv("FOUREYES_TEST_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_PG_URL : url;
    }

    /** SQLite JDBC URL for a file, with the pragmas the service uses (see config.yml). */
    public static String sqliteUrl(Path file) {
        return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true";
    }

    private static final class Sqlite extends TestDatabase {
        private final Path dir;
        private final String url;

        Sqlite(Path file) {
            if (file != null) {
                dir = null;
                url = sqliteUrl(file);
                return;
            }
            try {
                dir = Files.createTempDirectory("foureyes-sqlite");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            url = sqliteUrl(dir.resolve("foureyes.db"));
        }

        @Override
        public String url() {
            return url;
        }

        @Override
        public String driverClass() {
            return "org.sqlite.JDBC";
        }

        @Override
        List<String> failInsertsSql(String table, boolean fail) {
            return fail ? List.of("CREATE TRIGGER fe_fail_" + table + " BEFORE INSERT ON " + table
                    + " BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END")
                    : List.of("DROP TRIGGER IF EXISTS fe_fail_" + table);
        }

        @Override
        public void close() throws Exception {
            super.close();
            if (dir == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        @Override
        public String toString() {
            return "SQLite " + url;
        }
    }

    private static final class Postgres extends TestDatabase {
        private final String baseUrl = postgresBaseUrl();
        private final String schema = "fe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);

        Postgres() {
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                String why = "PostgreSQL at " + baseUrl + " is unreachable (" + e.getMessage()
                        + "); set FOUREYES_TEST_PG_URL or start PostgreSQL";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    fail(why + " (CI=true, so this fails instead of skipping)");
                }
                Assumptions.abort("skipped: " + why);
            }
        }

        @Override
        public String url() {
            return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        @Override
        public String driverClass() {
            return "org.postgresql.Driver";
        }

        @Override
        List<String> failInsertsSql(String table, boolean fail) {
            return fail ? List.of("CREATE OR REPLACE FUNCTION " + schema + ".fe_fail() RETURNS trigger LANGUAGE plpgsql"
                    + " AS $$ BEGIN RAISE EXCEPTION 'simulated storage failure'; END $$",
                    "CREATE TRIGGER fe_fail_" + table + " BEFORE INSERT ON " + schema + "." + table
                            + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".fe_fail()")
                    : List.of("DROP TRIGGER IF EXISTS fe_fail_" + table + " ON " + schema + "." + table);
        }

        @Override
        public void close() throws Exception {
            super.close();
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }

        @Override
        public String toString() {
            return "PostgreSQL schema " + schema;
        }
    }
}
