package org.foureyes.server.cli;

import io.dropwizard.configuration.ConfigurationException;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * Why the server (or {@code check}) could not start, as one line on standard error: a port in use,
 * a configuration file that is missing or wrong, a policy that does not load. The stack trace is
 * for {@code --debug} (or {@code FOUREYES_DEBUG=1}); the server's log has it too.
 */
final class StartFailure {
    static final String DEBUG_ENV = "FOUREYES_DEBUG";
    private static final Pattern BIND = Pattern.compile("Failed to bind to /?(\\S+)");

    private StartFailure() {
    }

    static void addDebugFlag(Subparser p) {
        p.addArgument("--debug").dest("debug").action(Arguments.storeTrue())
                .help("on failure, print the stack trace (also: environment " + DEBUG_ENV + "=1)");
    }

    /** Prints the failure; returns without printing the trace unless debugging was asked for. */
    static void report(String command, PrintWriter err, Namespace ns, Throwable e, Function<String, String> env) {
        boolean debug = Boolean.TRUE.equals(ns.getBoolean("debug")) || "1".equals(env.apply(DEBUG_ENV));
        err.println("foureyes " + command + ": " + oneLine(e) + (debug ? "" : " (--debug for the stack trace)"));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    static String oneLine(Throwable e) {
        String boundTo = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher m = t.getMessage() == null ? null : BIND.matcher(t.getMessage());
            if (m != null && m.find()) {
                boundTo = m.group(1);
            }
            if (t instanceof BindException) {
                return "cannot listen on " + (boundTo == null ? "a configured port" : boundTo) + ": " + t.getMessage()
                        + " (another foureyes or another program holds the port; change server.applicationConnectors"
                        + " or server.adminConnectors in the configuration, or stop the other one)";
            }
            if (t instanceof ConfigurationException c) {
                return configuration(c);
            }
            if (t instanceof FileNotFoundException f && f.getMessage() != null && f.getMessage().startsWith("File ")) {
                // Dropwizard's "File x.yml not found" for the configuration file argument.
                return "the configuration file " + f.getMessage().substring(5).replaceFirst(" not found$", "")
                        + " does not exist";
            }
        }
        // The outermost message that says more than "wrapped: <cause>".
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Dropwizard's multi-line "x.yml has an error: * ..." as one line (the errors, not the suggestions). */
    private static String configuration(ConfigurationException c) {
        String[] lines = c.getMessage().split("\\R");
        List<String> errors = new ArrayList<>();
        for (String l : lines) {
            String s = l.strip();
            if (s.startsWith("* ")) {
                errors.add(s.substring(2));
            }
        }
        String head = lines[0].strip();
        return errors.isEmpty() ? head : head + " " + String.join("; ", errors);
    }
}
