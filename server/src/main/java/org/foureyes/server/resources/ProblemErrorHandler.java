package org.foureyes.server.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;

/**
 * Jetty's own error answers (those that never reach Jersey: ambiguous URIs such as {@code %2F},
 * {@code %2e}, {@code %00}, {@code //}, bad UTF-8, and the static page's 404s) as
 * {@code application/problem+json} instead of Jetty's HTML page, whatever the client accepts.
 * One handler for the application's servlet context, one for the server (errors outside any context).
 */
public final class ProblemErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemErrorHandler() {
    }

    /** Installs the handlers on the application context and on the server. */
    public static void install(Environment environment) {
        environment.getApplicationContext().setErrorHandler(new InContext());
        ErrorHandler server = new OnServer();
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server s) {
                    s.setErrorHandler(server);
                }
            }
        });
    }

    /** Jetty's most specific reason: the innermost exception's message, else its own (fixed texts, no request data). */
    static String reasons(String message, Throwable cause) {
        String best = message;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && t.getMessage().length() < 200) {
                best = t.getMessage();
            }
        }
        return best == null ? null : best.replaceFirst("^\\d{3}: ", "").replaceFirst("^Bad Request: ", "");
    }

    /** The problem for a status Jetty answers itself. */
    static Problem problem(int status, String message, boolean uriViolation) {
        String why = message == null || message.isBlank() ? "" : " (" + message + ")";
        return switch (status) {
            case 400 -> uriViolation || (message != null && (message.contains("URI") || message.contains("UTF-8")
                    || message.contains("path") || message.contains("Path")))
                    ? Problem.of(ProblemType.BAD_URI, "The request path is ambiguous or malformed" + why + ". Send it"
                            + " without encoded slashes, dots, backslashes or NUL, empty segments, '..' or ';',"
                            + " and as UTF-8.")
                    : Problem.of(ProblemType.BAD_REQUEST, "The request is malformed" + why + ".");
            case 404 -> Problem.of(ProblemType.NOT_FOUND, "There is nothing at this path. The API lives under /v1"
                    + " (for example GET /v1/log/checkpoint); see docs/api.md.");
            case 405 -> Problem.of(ProblemType.METHOD_NOT_ALLOWED, "This method is not allowed on this path.");
            default -> status >= 500
                    ? new Problem(ProblemType.INTERNAL.uri(), ProblemType.INTERNAL.title(), status,
                            "The server failed to answer; try again later.")
                    : new Problem(ProblemType.HTTP_ERROR.uri(), ProblemType.HTTP_ERROR.title(), status,
                            "The request was refused (HTTP " + status + ")" + why + ".");
        };
    }

    /** Whether Jetty's 400 is about the path: a URI violation, or an encoded control character such as %00. */
    static boolean uriProblem(HttpURI uri) {
        String path = uri.getPath();
        return uri.hasViolations() || uri.isAmbiguous() || (path != null && path.matches("(?s).*%[01][0-9A-Fa-f].*"));
    }

    /** Writes the problem as the whole response body. */
    static void writeProblem(Request request, Response response, Callback callback, int code, String message,
            Throwable cause) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(problem(code, reasons(message, cause), uriProblem(request.getHttpURI())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serialisable", e);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** In the servlet context: as Jetty's servlet error handler, but problem+json. */
    static final class InContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                Callback callback) {
            // One answer whatever the Accept header says: problem+json is the API's only error format.
            generateAcceptableResponse(request, response, callback, Problem.MEDIA_TYPE, List.of(), code, message,
                    cause);
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                String contentType, List<Charset> charsets, int code, String message, Throwable cause) {
            writeProblem(request, response, callback, code, message, cause);
            // As Jetty's servlet error handler does after writing: let the servlet channel complete.
            ServletContextRequest servlet = Request.as(request, ServletContextRequest.class);
            if (servlet != null) {
                servlet.getServletChannel().sendErrorResponseAndComplete();
            }
            return true;
        }
    }

    /** Outside any context (the request never reached the application). */
    static final class OnServer extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                Callback callback) {
            writeProblem(request, response, callback, code, message, cause);
        }
    }
}
