package org.foureyes.server.db;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.sql.Connection;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/** Brings the schema up to date at start, with the same changelog that {@code db migrate} uses. */
public final class Migrations {
    public static final String CHANGELOG = "migrations.xml";

    static {
        disableLiquibaseAnalytics();
    }

    private Migrations() {}

    /**
     * Liquibase 4.30+ may fetch its analytics settings from the network and send usage data. A
     * service that guards a monitoring setup makes no outbound calls it was not configured for, so
     * it is off unless the operator explicitly set the property.
     */
    public static void disableLiquibaseAnalytics() {
        if (System.getProperty("liquibase.analytics.enabled") == null) {
            System.setProperty("liquibase.analytics.enabled", "false");
        }
    }

    public static void apply(DataSourceFactory factory, Environment environment) throws Exception {
        ManagedDataSource dataSource = factory.build(environment.metrics(), "migrations");
        try {
            apply(dataSource);
        } finally {
            dataSource.stop();
        }
    }

    /** Applies the changelog through one connection of {@code dataSource}. */
    public static void apply(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database)) {
                liquibase.update("");
            }
        }
    }
}
