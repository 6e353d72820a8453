package org.foureyes.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The one place where the command-line clients (operator commands, export, the agent) turn "the
 * server could not be used" into a sentence a person can act on: a {@code --url} that is not an
 * http(s) URL, a server that cannot be reached (refused, unknown host, timeout), or an address
 * that answers but is not the foureyes API (the Dropwizard admin port, some other web server).
 */
public final class ServerTrouble {
    private ServerTrouble() {
    }

    /**
     * Parses a server URL given by a person, e.g. on {@code --url}.
     *
     * @param what how the person gave it ("--url", "server in agent.yml"), for the message
     * @throws IllegalArgumentException naming the problem and, where there is one, the likely fix
     */
    public static URI serverUrl(String text, String what) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty; give the server's address, e.g. http://127.0.0.1:8080");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || scheme == null || (!scheme.equals("http") && !scheme.equals("https"))
                || uri.getHost() == null) {
            // "localhost:8080" parses as scheme "localhost"; "127.0.0.1:8080" does not parse at all.
            if (!s.contains("://")) {
                throw new IllegalArgumentException(what + " " + s + " has no scheme; did you mean http://" + s + " ?");
            }
            throw new IllegalArgumentException(what + " " + s + " is not an http:// or https:// URL with a host");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(what + " " + s + " has a query or fragment; give the server's base URL,"
                    + " e.g. http://127.0.0.1:8080");
        }
        return uri;
    }

    /** Why {@code base} could not be reached, from the JDK client's exception. */
    public static String unreachable(URI base, IOException e) {
        String where = base.getHost() + ":" + port(base);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection to " + where + " within the connect timeout (a firewall, or the wrong host?)";
        } else if (e instanceof HttpTimeoutException) {
            why = where + " accepted the connection but did not answer in time (server overloaded or stuck?)";
        } else if (e instanceof ConnectException && (root instanceof UnresolvedAddressException
                || root instanceof UnknownHostException)) {
            why = "unknown host " + base.getHost() + " (check the spelling, or DNS)";
        } else if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            why = "unknown host " + base.getHost() + " (check the spelling, or DNS)";
        } else if (root instanceof NoRouteToHostException) {
            why = "no route to " + where;
        } else if (e instanceof ConnectException) {
            why = "connection refused by " + where + " (nothing listens there); is the server running?";
        } else {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            why = "the connection to " + where + " failed (" + m + ")";
        }
        return "cannot reach " + shown(base) + ": " + why;
    }

    /**
     * Whether an answer to an API path ({@code /v1/...}) is from something other than the foureyes
     * API: the API answers JSON, problem+json, NDJSON or text, never HTML. Returns the sentence to
     * show, or null if the answer looks like the API's. Asks {@code /ping} once to tell the
     * Dropwizard admin port (which answers "pong") from another web server.
     */
    public static String notTheApi(HttpClient http, URI base, String path, HttpResponse<?> r) {
        String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        // The API never answers HTML under /v1, and its 404s are always problem+json; Jetty's own
        // 404 (the admin port, or a path the API does not have) is HTML, JSON or empty by Accept.
        boolean html = type.startsWith("text/html");
        boolean foreign404 = r.statusCode() == 404 && !type.startsWith("application/problem+json");
        if (!html && !foreign404) {
            return null;
        }
        String answered = "GET " + path + " at " + shown(base) + " answered " + r.statusCode()
                + (html ? " with an HTML page" : "") + ": ";
        if (isAdminPort(http, base)) {
            return answered + "this looks like the server's admin port; the API is on the application port"
                    + " (server.applicationConnectors in the server's configuration, 8080 by default): use that"
                    + " address";
        }
        return answered + "this is not the foureyes API; is the address (and its path) the foureyes server's?";
    }

    private static boolean isAdminPort(HttpClient http, URI base) {
        try {
            HttpResponse<byte[]> pong = http.send(HttpRequest.newBuilder(resolve(base, "/ping"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return pong.statusCode() == 200
                    && new String(pong.body(), StandardCharsets.UTF_8).strip().equals("pong");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static URI resolve(URI base, String path) {
        String s = base.toString();
        return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + path);
    }

    /** The base URL as a person typed it (clients keep a trailing slash to resolve paths against). */
    private static String shown(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
