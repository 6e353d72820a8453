package org.foureyes.server;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.foureyes.server.cli.PolicyCommand;
import org.foureyes.server.db.Migrations;
import org.foureyes.server.health.DataDirectoryHealthCheck;
import org.jdbi.v3.core.Jdbi;

/** The foureyes service: wiring only (store, then services, then resources). */
public class FoureyesApplication extends Application<FoureyesConfiguration> {

    public static void main(String[] args) throws Exception {
        new FoureyesApplication().run(args);
    }

    @Override
    public String getName() {
        return "foureyes";
    }

    @Override
    public void initialize(Bootstrap<FoureyesConfiguration> bootstrap) {
        bootstrap.addCommand(new PolicyCommand());
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(FoureyesConfiguration configuration) {
                return configuration.getDataSourceFactory();
            }
        });
    }

    @Override
    public void run(FoureyesConfiguration config, Environment environment) throws Exception {
        Path dataDir = Path.of(config.getDataDir());
        // SQLite creates the database file but not its directory.
        Files.createDirectories(dataDir);
        Migrations.apply(config.getDataSourceFactory(), environment);
        Jdbi jdbi = new JdbiFactory().build(environment, config.getDataSourceFactory(), "database");
        environment.healthChecks().register("dataDir", new DataDirectoryHealthCheck(dataDir));
    }
}
