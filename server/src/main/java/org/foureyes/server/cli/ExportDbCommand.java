package org.foureyes.server.cli;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.core.LogExport;
import org.foureyes.server.db.JdbiLogStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code foureyes export-db config.yml --out DIR [--start S] [--end E]}: writes the export of the
 * log straight from the configured database (for backups on the foureyes host; ops/export-log.sh).
 * Needs no private key: the log's verifier key is the one the genesis entry records, and the
 * export is checked against the stored signed checkpoint before its checkpoint file is written.
 * Safe while the service runs: it exports up to a checkpoint that is already signed.
 */
public class ExportDbCommand extends ConfiguredCommand<FoureyesConfiguration> {
    private final PrintStream out;

    public ExportDbCommand() {
        this(System.out);
    }

    public ExportDbCommand(PrintStream out) {
        super("export-db", "Export the audit log from the configured database into a directory (backups)");
        this.out = out;
    }

    @Override
    public void configure(Subparser p) {
        p.help(getDescription()); // the one line "--help" shows for this command
        super.configure(p);
        p.addArgument("--out").dest("out").required(true).metavar("DIR")
                .help("the export directory to write (created; refused if it already holds an export)");
        p.addArgument("--start").dest("start").type(Long.class).metavar("S")
                .help("first seq to export (default 0); above 0 writes a range export with start.json");
        p.addArgument("--end").dest("end").type(Long.class).metavar("E")
                .help("export up to seq E - 1; E must be the size of a signed checkpoint (default: the latest)");
    }

    @Override
    protected void run(Bootstrap<FoureyesConfiguration> bootstrap, Namespace ns, FoureyesConfiguration config)
            throws Exception {
        ManagedDataSource ds = config.getDataSourceFactory().build(new MetricRegistry(), "export");
        ds.start();
        try {
            Jdbi jdbi = Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
            JdbiLogStore store = new JdbiLogStore(jdbi);
            LogExport export = new LogExport(store);
            LogExport.Plan plan = export.plan(ns.get("start"), ns.get("end"));
            VerifierKey key = genesisLogKey(store);
            Path dir = Path.of(ns.getString("out"));
            long n = export.writeDirectory(plan, key, dir);
            out.println("exported " + n + " entries (seq " + plan.start() + " to " + (plan.end() - 1) + ") of "
                    + key.name() + " at its checkpoint of size " + plan.end() + " into " + dir);
        } finally {
            ds.stop();
        }
    }

    static VerifierKey genesisLogKey(JdbiLogStore store) throws Exception {
        var entries = store.entries(0, 1);
        if (entries.isEmpty()) {
            throw new IllegalStateException("the log is empty: start the service once to write its genesis");
        }
        LogEntry genesis = LogEntry.parse(entries.get(0).entry());
        return VerifierKey.parse(genesis.facts().path("log_key").asText());
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("export-db: " + StartFailure.oneLine(e)); // a missing configuration file by name
    }
}
