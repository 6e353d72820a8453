package org.foureyes.server;

import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.server.cli.KeygenCommand;
import org.foureyes.server.cli.PolicyCommand;
import org.foureyes.server.core.CheckpointSigner;
import org.foureyes.server.core.LogAppender;
import org.foureyes.server.core.LogBootstrap;
import org.foureyes.server.core.LogConfiguration;
import org.foureyes.server.core.LogKeySigner;
import org.foureyes.server.core.LogKeys;
import org.foureyes.server.core.WitnessPusher;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.Migrations;
import org.foureyes.server.health.DataDirectoryHealthCheck;
import org.foureyes.server.health.LogAppenderHealthCheck;
import org.foureyes.server.health.LogKeyHealthCheck;
import org.foureyes.server.resources.LogResource;
import org.foureyes.server.resources.ProblemMappers;
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
        bootstrap.addCommand(new KeygenCommand());
        bootstrap.addCommand(new org.foureyes.server.cli.ExportCommand());
        bootstrap.addCommand(new org.foureyes.server.cli.ExportDbCommand());
    }

    @Override
    public void run(FoureyesConfiguration config, Environment environment) throws Exception {
        Path dataDir = Path.of(config.getDataDir());
        // SQLite creates the database file but not its directory.
        Files.createDirectories(dataDir);
        Migrations.apply(config.getDataSourceFactory(), environment);
        Jdbi jdbi = new JdbiFactory().build(environment, config.getDataSourceFactory(), "database");

        // Store
        JdbiLogStore store = new JdbiLogStore(jdbi);

        // Services
        LogConfiguration log = config.getLog();
        SignerKey logKey = LogKeys.loadOrCreate(Path.of(log.getKeyFile()), log.getOrigin(),
                passphrase(log.getKeyPassphraseEnv()));
        CheckpointSigner signer = new LogKeySigner(logKey, log.getOrigin());
        LogAppender appender = new LogAppender(jdbi, Dialect.of(jdbi), signer, Clock.systemUTC(),
                environment.metrics(), LogAppender.Settings.DEFAULT);
        // Started in this order (appender first), stopped in reverse (the appender drains last).
        environment.lifecycle().manage(appender);
        environment.lifecycle().manage(new LogBootstrap(store, appender, signer,
                () -> initialPolicy(Path.of(config.getPolicyFile()))));
        environment.lifecycle().manage(WitnessPusher.fromConfig(store, config.getWitnesses()));

        // Resources; every error is application/problem+json, so Dropwizard's own mappers are off.
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        ProblemMappers.register(environment.jersey());
        environment.jersey().register(new LogResource(store, signer.verifierKey()));
        environment.jersey().register(new org.foureyes.server.resources.ReleaseResource(store));
        environment.jersey().register(new org.foureyes.server.resources.ExportResource(
                new org.foureyes.server.core.LogExport(store), signer.verifierKey()));

        environment.healthChecks().register("dataDir", new DataDirectoryHealthCheck(dataDir));
        environment.healthChecks().register("logAppender", new LogAppenderHealthCheck(appender, Duration.ofSeconds(30)));
        environment.healthChecks().register("logKey", new LogKeyHealthCheck(signer, log.getOrigin()));
    }

    private static char[] passphrase(String envVar) {
        if (envVar == null || envVar.isBlank()) {
            return null;
        }
        String value = System.getenv(envVar);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("log.keyPassphraseEnv names " + envVar
                    + ", but that environment variable is unset or empty; set it to the log key's passphrase");
        }
        return value.toCharArray();
    }

    private static LogBootstrap.InitialPolicy initialPolicy(Path file) {
        try {
            Policy policy = PolicyLoader.load(file);
            return new LogBootstrap.InitialPolicy(policy.document(), PolicyHash.sha256Hex(policy));
        } catch (PolicyException e) {
            throw new IllegalStateException("the log is empty and needs its initial policy, but " + file.toAbsolutePath()
                    + " cannot be loaded: " + e.getMessage(), e);
        }
    }
}
