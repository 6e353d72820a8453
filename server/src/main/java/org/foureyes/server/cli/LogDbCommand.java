package org.foureyes.server.cli;

import io.dropwizard.core.Configuration;
import io.dropwizard.db.DatabaseConfiguration;
import io.dropwizard.migrations.DbCommand;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;

/**
 * Liquibase's {@code db} commands without those that destroy or un-apply history: the log is
 * append-only, so {@code db drop-all} (drops every table, the log with them) and {@code db rollback}
 * (un-applies schema changes under entries written with them) are not offered at all.
 */
public final class LogDbCommand<T extends Configuration> extends DbCommand<T> {
    /** Subcommands left out, and why (in the class comment). */
    static final Set<String> WITHHELD = Set.of("drop-all", "rollback");

    public LogDbCommand(DatabaseConfiguration<T> database, Class<T> configurationClass, String migrationsFile) {
        super("db", database, configurationClass, migrationsFile, Map.of());
        withhold();
    }

    @Override
    public void configure(net.sourceforge.argparse4j.inf.Subparser p) {
        super.configure(p);
        p.help("Database schema tasks (migrate, status, ...); no drop-all or rollback: the log is append-only");
    }

    @SuppressWarnings("unchecked")
    private void withhold() {
        // DbCommand registers all its subcommands in its constructor and has no way to leave one out;
        // they are removed from its (private) map before configure() turns them into subparsers.
        try {
            Field f = DbCommand.class.getDeclaredField("subcommands");
            f.setAccessible(true);
            ((Map<String, ?>) f.get(this)).keySet().removeAll(WITHHELD);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot withhold db " + WITHHELD + " (Dropwizard's DbCommand changed?)", e);
        }
    }
}
