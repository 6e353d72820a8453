package org.foureyes.server.resources;

import io.dropwizard.jersey.setup.JerseyEnvironment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.db.StorageCorruptException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage failures as problems: a database that cannot be read is 503 with Retry-After (the
 * request may succeed later, and load balancers and clients know to wait); stored hashes that
 * disagree with the signed log are 500 {@code storage-corrupt} (retrying will not help).
 */
public final class StorageProblemMappers {
    private static final Logger LOG = LoggerFactory.getLogger(StorageProblemMappers.class);
    static final String RETRY_AFTER_SECONDS = "10";

    private StorageProblemMappers() {
    }

    public static void register(JerseyEnvironment jersey) {
        jersey.register(new DatabaseFailureMapper());
        jersey.register(new StorageCorruptMapper());
    }

    /** Any JDBI failure while answering: no connection, a missing table, a failed statement. */
    public static final class DatabaseFailureMapper implements ExceptionMapper<JdbiException> {
        @Override
        public Response toResponse(JdbiException e) {
            LOG.warn("database failure while answering a request: {}", e.getMessage());
            return Response.fromResponse(ProblemMappers.respond(Problem.of(ProblemType.DATABASE_UNAVAILABLE,
                    "The log's database cannot be read right now; nothing was changed. Retry in "
                            + RETRY_AFTER_SECONDS + " seconds.")))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
    }

    /** Stored hashes that disagree with the signed log (see VerifiedProofs). */
    public static final class StorageCorruptMapper implements ExceptionMapper<StorageCorruptException> {
        @Override
        public Response toResponse(StorageCorruptException e) {
            LOG.error("stored log hashes disagree with the signed log: {}", e.getMessage());
            return ProblemMappers.respond(Problem.of(ProblemType.STORAGE_CORRUPT, "The server's stored copy of"
                    + " the log disagrees with its signed checkpoint, so it serves no proof from it: "
                    + e.getMessage() + ". The operator has to restore the database from a backup."));
        }
    }
}
