package org.foureyes.server.db;

import java.sql.SQLException;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/** The two databases the log runs on. Only the append lock differs between them. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** Asks the driver which database {@code jdbi} talks to. */
    public static Dialect of(Jdbi jdbi) {
        String product = jdbi.withHandle(h -> {
            try {
                return h.getConnection().getMetaData().getDatabaseProductName();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the database product name", e);
            }
        });
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("sqlite")) {
            return SQLITE;
        }
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException("unsupported database " + product + ": foureyes runs on SQLite or PostgreSQL");
    }
}
