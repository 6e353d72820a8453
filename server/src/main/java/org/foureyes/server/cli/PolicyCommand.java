package org.foureyes.server.cli;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.policy.PublishedTestKeys;
import org.foureyes.policy.cli.PolicyCli;

/**
 * {@code foureyes policy check FILE [--json]} and {@code foureyes policy diff OLD NEW [--json]}.
 *
 * <p>A thin shell over {@link PolicyCli} (module audit-log), which holds the logic and the exit
 * codes: 0 ok, 1 a violation, 2 a file that cannot be loaded, 3 (diff) the new policy widens what a
 * guard, schema, emergency rule or time limit accepts. Dropwizard's {@code Cli} would turn
 * any exception into exit status 1 with a stack trace, so this command prints the message itself and
 * ends the process with {@link PolicyCli}'s code when it is not 0. {@code check} also warns when the
 * policy lists a key whose private half is published in the foureyes repository (a test key).
 */
public class PolicyCommand extends Command {
    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;

    public PolicyCommand() {
        this(System.out, System.err, System::exit);
    }

    /** For tests: where to print, and what to do with a non-zero exit code. */
    public PolicyCommand(PrintStream out, PrintStream err, IntConsumer exit) {
        super("policy", "Check a policy file (rights, separation of duties, coalitions) or compare two");
        this.out = out;
        this.err = err;
        this.exit = exit;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.help(getDescription()); // the one line "--help" shows for this command
        Subparsers actions = subparser.addSubparsers().dest("policy_action").title("actions");
        Subparser check = actions.addParser("check")
                .help("print the analysis of a policy; exit 1 on a violation, 2 if it cannot be loaded");
        check.addArgument("file").metavar("FILE").help("the policy file (YAML)");
        check.addArgument("--json").action(Arguments.storeTrue()).help("print JSON instead of text");
        Subparser diff = actions.addParser("diff")
                .help("show what a proposed policy changes in rights, approval rules, coalition sizes, guards,"
                        + " schemas and timing; exit 3 if it widens what is accepted, 1 on a violation");
        diff.addArgument("old").metavar("OLD").help("the policy in force");
        diff.addArgument("new").metavar("NEW").help("the proposed policy");
        diff.addArgument("--json").action(Arguments.storeTrue()).help("print JSON instead of text");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) {
        int code = PolicyCli.run(arguments(namespace), out, err);
        if ("check".equals(namespace.getString("policy_action"))) {
            warnOnPublishedTestKeys(Path.of(namespace.getString("file")));
        }
        out.flush();
        err.flush();
        if (code != PolicyCli.OK) {
            exit.accept(code);
        }
    }

    /** On stderr, so that --json output stays JSON; the exit code is the analysis's alone. */
    private void warnOnPublishedTestKeys(Path file) {
        try {
            PublishedTestKeys.warning(PolicyLoader.load(file)).ifPresent(err::println);
        } catch (PolicyException e) {
            // PolicyCli has reported why the file does not load.
        }
    }

    static String[] arguments(Namespace ns) {
        List<String> args = new ArrayList<>();
        String action = ns.getString("policy_action");
        args.add(action);
        if ("check".equals(action)) {
            args.add(ns.getString("file"));
        } else {
            args.add(ns.getString("old"));
            args.add(ns.getString("new"));
        }
        if (Boolean.TRUE.equals(ns.getBoolean("json"))) {
            args.add("--json");
        }
        return args.toArray(String[]::new);
    }
}
