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

    private Migrations() {}

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
