package org.foureyes.server;

import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
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
import org.foureyes.server.cli.OperatorCommand;
import org.foureyes.server.core.CheckpointSigner;
import org.foureyes.server.core.LogAppender;
import org.foureyes.server.core.LogBootstrap;
import org.foureyes.server.core.LogConfiguration;
import org.foureyes.server.core.LogKeySigner;
import org.foureyes.server.core.LogKeys;
import org.foureyes.server.core.SignerHighWaterMark;
import org.foureyes.server.core.WitnessPusher;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.Migrations;
import org.foureyes.server.health.DataDirectoryHealthCheck;
import org.foureyes.server.health.LogAppenderHealthCheck;
import org.foureyes.server.health.LogKeyHealthCheck;
import org.foureyes.server.page.TransparencyPage;
import org.foureyes.server.resources.LogResource;
import org.foureyes.server.resources.ContentTypeFilter;
import org.foureyes.server.resources.ProblemErrorHandler;
import org.foureyes.server.resources.ProblemMappers;
import org.foureyes.server.auth.AccessTokens;
import org.foureyes.server.auth.PathGuardFilter;
import org.foureyes.server.auth.ReadAccessFilter;
import org.foureyes.server.core.RefusalLimiter;
import org.foureyes.server.core.ServerLedger;
import org.foureyes.server.core.Webhooks;
import org.foureyes.server.core.Workflow;
import org.foureyes.server.core.WorkflowConfiguration;
import org.foureyes.server.core.WorkflowLifecycle;
import org.foureyes.server.health.LedgerHealthCheck;
import org.foureyes.server.health.StorageIntegrityHealthCheck;
import org.foureyes.server.core.StorageIntegrity;
import org.foureyes.server.resources.StorageProblemMappers;
import org.foureyes.server.resources.ChangeResource;
import org.foureyes.server.resources.ComponentResource;
import org.foureyes.server.resources.PolicyResource;
import org.foureyes.server.resources.StatementEndpoint;
import org.foureyes.server.resources.StatementProblems;
import org.foureyes.server.resources.WhoamiResource;
import org.jdbi.v3.core.Jdbi;

/** The foureyes service: wiring only (store, then services, then resources). */
public class FoureyesApplication extends Application<FoureyesConfiguration> {

    static {
        // Before any command (including Dropwizard's own "db migrate") touches Liquibase.
        Migrations.disableLiquibaseAnalytics();
    }

    public static void main(String[] args) throws Exception {
        new FoureyesApplication().run(args);
    }

    @Override
    public String getName() {
        return "foureyes";
    }

    /** Dropwizard's server and check, failing with one line unless --debug (cli.StartFailure). */
    @Override
    protected void addDefaultCommands(Bootstrap<FoureyesConfiguration> bootstrap) {
        bootstrap.addCommand(org.foureyes.server.cli.ServeCommand.server(this, System::getenv));
        bootstrap.addCommand(org.foureyes.server.cli.ServeCommand.check(this, System::getenv));
    }

    @Override
    public void initialize(Bootstrap<FoureyesConfiguration> bootstrap) {
        bootstrap.addCommand(new PolicyCommand());
        bootstrap.addCommand(new org.foureyes.server.cli.LogDbCommand<>(FoureyesConfiguration::getDataSourceFactory,
                FoureyesConfiguration.class, Migrations.CHANGELOG));
        bootstrap.addCommand(new KeygenCommand());
        bootstrap.addCommand(new org.foureyes.server.cli.ExportCommand());
        bootstrap.addCommand(new org.foureyes.server.cli.ExportDbCommand());
        for (OperatorCommand command : OperatorCommand.all()) {
            bootstrap.addCommand(command);
        }
        bootstrap.addBundle(TransparencyPage.bundle());
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
        Clock clock = clock();
        WorkflowConfiguration wf = config.getWorkflow();
        ServerLedger ledger = new ServerLedger(store, new RefusalLimiter(wf.getRefusalsPerMinute()));

        // Services
        LogConfiguration log = config.getLog();
        Path keyFile = Path.of(log.getKeyFile());
        SignerKey logKey = LogKeys.loadOrCreate(keyFile, log.getOrigin(), passphrase(log.getKeyPassphraseEnv()),
                store.size());
        CheckpointSigner signer = new LogKeySigner(logKey, log.getOrigin(),
                SignerHighWaterMark.open(SignerHighWaterMark.beside(keyFile), log.getOrigin()));
        LogAppender appender = new LogAppender(jdbi, Dialect.of(jdbi), signer, clock,
                environment.metrics(), LogAppender.Settings.DEFAULT, ledger);
        // Started in this order (appender first), stopped in reverse (the appender drains last).
        environment.lifecycle().manage(appender);
        environment.lifecycle().manage(new LogBootstrap(store, appender, signer,
                () -> initialPolicy(Path.of(config.getPolicyFile()))));
        environment.lifecycle().manage(WitnessPusher.fromConfig(store, config.getWitnesses()));
        Workflow workflow = new Workflow(ledger, appender, wf.getAppendTimeout().toJavaDuration(), environment.metrics(),
                clock, wf.getMaxOpenChangesPerPrincipal());
        Webhooks webhooks = new Webhooks(config.getWebhooks(), ledger, new Webhooks.Settings(wf.getWebhookQueue(),
                wf.getWebhookAttempts(), wf.getWebhookBackoff().toJavaDuration(),
                wf.getWebhookTimeout().toJavaDuration()), environment.metrics());
        ledger.addListener(webhooks);
        environment.lifecycle().manage(webhooks);
        // After the bootstrap: replays the log into the ledger, then runs expiry and catch-up.
        environment.lifecycle().manage(new WorkflowLifecycle(workflow, Path.of(config.getPolicyFile()),
                wf.getSyncInterval().toJavaDuration(), wf.getExpiryInterval().toJavaDuration()));
        AccessTokens tokens = new AccessTokens(ledger, clock);

        // Resources; every error is application/problem+json, so Dropwizard's own mappers are off.
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        ProblemMappers.register(environment.jersey());
        StorageProblemMappers.register(environment.jersey());
        ProblemErrorHandler.install(environment);
        // One reading of every path: no ';' anywhere (public log or not), before the page and Jersey.
        environment.servlets().addFilter("path-guard", new PathGuardFilter())
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, "/*");
        environment.jersey().register(new ContentTypeFilter());
        StorageIntegrity integrity = new StorageIntegrity();
        appender.haltOnCorruption(integrity);
        environment.jersey().register(new LogResource(store, signer.verifierKey(), integrity));
        environment.jersey().register(new org.foureyes.server.resources.TileResource(store));
        environment.jersey().register(new org.foureyes.server.resources.ReleaseResource(store));
        environment.jersey().register(new org.foureyes.server.resources.ExportResource(
                new org.foureyes.server.core.LogExport(store), signer.verifierKey()));
        environment.jersey().register(new StatementProblems.Mapper());
        StatementEndpoint statements = new StatementEndpoint(workflow, wf.getMaxStatementBytes(), log.isPublic());
        environment.jersey().register(new ChangeResource(statements));
        environment.jersey().register(new ComponentResource(statements));
        environment.jersey().register(new PolicyResource(ledger));
        environment.jersey().register(new WhoamiResource(tokens));
        if (!log.isPublic()) {
            environment.jersey().register(new ReadAccessFilter(tokens, ledger));
        }
        // GET / and /assets/*: the transparency page (Jersey keeps /* for the /v1 API).
        TransparencyPage.register(environment);

        environment.healthChecks().register("dataDir", new DataDirectoryHealthCheck(dataDir));
        environment.healthChecks().register("logAppender", new LogAppenderHealthCheck(appender, Duration.ofSeconds(30)));
        environment.healthChecks().register("logKey", new LogKeyHealthCheck(signer, log.getOrigin()));
        environment.healthChecks().register("ledger", new LedgerHealthCheck(ledger));
        environment.healthChecks().register("storedLog", new StorageIntegrityHealthCheck(integrity, store));
    }

    /** The clock of entry times, statement windows and rate limits; tests override it. */
    protected Clock clock() {
        return Clock.systemUTC();
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
