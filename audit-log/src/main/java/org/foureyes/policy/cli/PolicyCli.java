package org.foureyes.policy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.policy.PolicyDiff;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;

/**
 * {@code policy check FILE [--json]} and {@code policy diff OLD NEW [--json]}, without a framework:
 * the server's Dropwizard command and the tests call {@link #run}.
 *
 * <p>Exit codes: {@value #OK} the policy passes (for diff: the new one passes); {@value #VIOLATION}
 * the analysis found a violation (the report on stdout, the refusal {@code file:line: field: ...}
 * on stderr); {@value #UNLOADABLE} a file cannot be loaded (one message on stderr naming file, line
 * and field, no stack trace) or the command line is wrong; {@value #WIDENS} (diff only) the new policy
 * passes the analysis, but a guard, schema, emergency rule or time limit widens or may widen what it
 * accepts (the report's WIDENS section lists each), so a script can gate on it. A violation (1) wins
 * over widening (3).
 */
public final class PolicyCli {
    public static final int OK = 0;
    public static final int VIOLATION = 1;
    public static final int UNLOADABLE = 2;
    public static final int WIDENS = 3;

    static final String USAGE = """
            usage: policy check FILE [--json]     print the analysis; exit 1 on a violation, 2 if FILE cannot be loaded
                   policy diff OLD NEW [--json]   what NEW changes in rights, rules, coalitions, guards, schemas and timing;
                                                  exit 1 if NEW has a violation, 3 if NEW widens what is accepted""";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PolicyCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code check} or {@code diff} (the first argument) and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return OK;
            } else if (a.startsWith("-") && a.length() > 1) {
                err.println("policy: unknown option " + a);
                err.println(USAGE);
                return UNLOADABLE;
            } else {
                positional.add(a);
            }
        }
        if (positional.isEmpty()) {
            err.println(USAGE);
            return UNLOADABLE;
        }
        String cmd = positional.remove(0);
        try {
            if (cmd.equals("check") && positional.size() == 1) {
                return check(Path.of(positional.get(0)), json, out, err);
            }
            if (cmd.equals("diff") && positional.size() == 2) {
                return diff(Path.of(positional.get(0)), Path.of(positional.get(1)), json, out, err);
            }
            if (!cmd.equals("check") && !cmd.equals("diff")) {
                err.println("policy: unknown command '" + cmd + "'");
            } else {
                err.println("policy " + cmd + ": wrong number of arguments");
            }
            err.println(USAGE);
            return UNLOADABLE;
        } catch (PolicyException e) {
            err.println(e.getMessage());
            return UNLOADABLE;
        } catch (RuntimeException e) {
            err.println("policy " + cmd + ": " + e);
            return UNLOADABLE;
        }
    }

    static int check(Path file, boolean json, PrintStream out, PrintStream err) throws PolicyException {
        PolicyLoader.Checked c = PolicyLoader.check(file);
        if (json) {
            ObjectNode j = c.analysis().toJson();
            j.put("file", file.toString());
            j.put("sha256", PolicyHash.sha256Hex(c.policy()));
            out.println(write(j));
        } else {
            out.println("file " + file);
            out.println("sha256 " + PolicyHash.sha256Hex(c.policy()));
            out.print(c.analysis().toText());
        }
        out.flush();
        if (c.refusal().isPresent()) {
            err.println(c.refusal().get().getMessage());
            return VIOLATION;
        }
        return OK;
    }

    static int diff(Path oldFile, Path newFile, boolean json, PrintStream out, PrintStream err) throws PolicyException {
        PolicyLoader.Checked old = PolicyLoader.check(oldFile);
        PolicyLoader.Checked neu = PolicyLoader.check(newFile);
        PolicyDiff d = PolicyDiff.between(old.policy(), neu.policy());
        out.print(json ? write(d.toJson()) + "\n" : d.toText());
        out.flush();
        if (neu.refusal().isPresent()) {
            err.println(neu.refusal().get().getMessage());
            return VIOLATION;
        }
        if (d.widens()) {
            err.println("policy diff: the new policy widens what is accepted (see WIDENS); exit " + WIDENS);
            return WIDENS;
        }
        return OK;
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
