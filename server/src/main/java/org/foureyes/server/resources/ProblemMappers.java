package org.foureyes.server.resources;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.EofException;
import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exception mappers that turn every error into {@code application/problem+json}. They replace
 * Dropwizard's default mappers (which answer {@code {"code":..,"message":..}}); see
 * {@link #register}.
 */
public final class ProblemMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMappers.class);

    private ProblemMappers() {
    }

    /** Registers all mappers. The application turns Dropwizard's default mappers off. */
    public static void register(JerseyEnvironment jersey) {
        jersey.register(new ProblemExceptionMapper());
        jersey.register(new WebApplicationExceptionMapper());
        jersey.register(new JsonProcessingExceptionMapper());
        jersey.register(new ConstraintViolationExceptionMapper());
        jersey.register(new CatchAllMapper());
    }

    static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    /** Our own problems, as thrown. */
    public static final class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            return respond(e.problem());
        }
    }

    /** Jersey's own errors: unknown path, wrong method, unacceptable media type, and so on. */
    public static final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Context
        private UriInfo uri;

        @Context
        private Request request;

        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            String path = uri == null ? "this path" : "/" + uri.getPath();
            String method = request == null ? "this method" : request.getMethod();
            Problem p = switch (status) {
                case 404 -> Problem.of(ProblemType.NOT_FOUND, "There is nothing at " + path
                        + ". The API lives under /v1 (for example GET /v1/log/checkpoint); see docs/storage.md.");
                case 405 -> Problem.of(ProblemType.METHOD_NOT_ALLOWED, method + " is not allowed on " + path
                        + allowed(original) + ".");
                case 406 -> Problem.of(ProblemType.NOT_ACCEPTABLE, path + " cannot answer in the media types of"
                        + " the Accept header; send Accept: */* or the type the endpoint documents.");
                case 415 -> Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, path + " does not take a body of this"
                        + " Content-Type; see docs/storage.md for what each endpoint takes.");
                default -> {
                    if (status >= 500) {
                        LOG.error("HTTP {} at {}", status, path, e);
                        yield new Problem(ProblemType.INTERNAL.uri(), ProblemType.INTERNAL.title(), status,
                                "The server failed to answer " + method + " " + path + "; try again later.");
                    }
                    yield new Problem(status == 400 ? ProblemType.BAD_REQUEST.uri() : ProblemType.HTTP_ERROR.uri(),
                            status == 400 ? ProblemType.BAD_REQUEST.title()
                                    : original.getStatusInfo().getReasonPhrase(),
                            status, "The request to " + path + " was refused (HTTP " + status + "): "
                                    + e.getMessage());
                }
            };
            Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA_TYPE).entity(p);
            String allow = original.getHeaderString(HttpHeaders.ALLOW);
            if (allow != null) {
                b.header(HttpHeaders.ALLOW, allow);
            }
            return b.build();
        }

        private static String allowed(Response r) {
            String allow = r.getHeaderString(HttpHeaders.ALLOW);
            return allow == null ? "" : "; allowed: " + allow;
        }
    }

    /** A body that is not JSON or not of the expected shape is the client's error; failing to write one is ours. */
    public static final class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof JsonGenerationException || e instanceof InvalidDefinitionException) {
                return internal(e);
            }
            return respond(Problem.of(ProblemType.BAD_JSON, "The request body is not valid JSON of the expected"
                    + " shape: " + e.getOriginalMessage()));
        }
    }

    /** Bean validation failures. */
    public static final class ConstraintViolationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            String what = e.getConstraintViolations().stream()
                    .map(ConstraintViolation::getMessage).sorted().collect(Collectors.joining("; "));
            return respond(Problem.of(ProblemType.INVALID, "The request breaks these rules: " + what));
        }
    }

    /** Everything else: 500, with an id to find the stack trace in the server log. */
    public static final class CatchAllMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (e instanceof EofException) {
                // The client went away while we wrote; there is nobody to answer.
                LOG.debug("client closed the connection", e);
                return respond(Problem.of(ProblemType.BAD_REQUEST, "The connection was closed early."));
            }
            return internal(e);
        }
    }

    static Response internal(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.error("error {} while answering a request", id, e);
        return respond(Problem.of(ProblemType.INTERNAL, "The server failed to answer (error id " + id
                + ", in the server log); try again, and report the id if it persists."));
    }
}
