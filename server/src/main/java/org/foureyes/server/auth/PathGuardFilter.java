package org.foureyes.server.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;

/**
 * Refuses every request whose path holds a path parameter ({@code ;}, also as {@code %3B}) with
 * 400 problem+json, public log or not. No endpoint takes one, and Jersey and the servlet container
 * drop them when they match while a check on the raw path sees them (issue 13: {@code /v1;/changes}
 * read a private log); refusing them leaves one reading of every path.
 */
public final class PathGuardFilter implements Filter {
    static final String DETAIL = "The path holds a path parameter (';'); no endpoint of this API takes one. Send the"
            + " path without it.";
    private static final byte[] BODY = ("{\"type\":\"" + ProblemType.BAD_URI.uri() + "\",\"title\":\""
            + ProblemType.BAD_URI.title() + "\",\"status\":400,\"detail\":\"" + DETAIL + "\"}")
            .getBytes(StandardCharsets.UTF_8);

    /** Whether a raw (still percent-encoded) request path holds a path parameter. */
    public static boolean hasPathParameter(String rawPath) {
        return rawPath != null && (rawPath.indexOf(';') >= 0 || rawPath.toLowerCase(Locale.ROOT).contains("%3b"));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse out
                && hasPathParameter(http.getRequestURI())) {
            out.setStatus(400);
            out.setContentType(Problem.MEDIA_TYPE);
            out.setContentLength(BODY.length);
            out.getOutputStream().write(BODY);
            return;
        }
        chain.doFilter(request, response);
    }
}
