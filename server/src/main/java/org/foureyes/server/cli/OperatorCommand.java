package org.foureyes.server.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.foureyes.auditlog.Signer;

/**
 * The operator commands, in the service's jar: {@code request}, {@code approve}, {@code reject},
 * {@code withdraw}, {@code status} and {@code history}, with {@code --url}, {@code --key},
 * {@code --json}. The logic is {@link Operator}; see docs/operators.md.
 */
public class OperatorCommand extends Command {

    /** Which command. */
    public enum Kind {
        REQUEST("request", "Propose a new configuration for a component (shows the diff, signs, posts)"),
        APPROVE("approve", "Approve a change after checking it locally (asks y/N unless --yes)"),
        REJECT("reject", "Reject a change after checking it locally (asks y/N unless --yes)"),
        WITHDRAW("withdraw", "Withdraw your own change request"),
        STATUS("status", "Open changes, or one change in detail"),
        HISTORY("history", "Every change, of one component or of all");

        final String name;
        final String help;

        Kind(String name, String help) {
            this.name = name;
            this.help = help;
        }
    }

    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    public static final String DEFAULT_PASSPHRASE_ENV = "FOUREYES_KEY_PASSPHRASE";

    private final Kind kind;
    private final Function<String, String> env;
    private final PrintStream out;

    public OperatorCommand(Kind kind) {
        this(kind, System::getenv, System.out);
    }

    public OperatorCommand(Kind kind, Function<String, String> env, PrintStream out) {
        super(kind.name, kind.help);
        this.kind = kind;
        this.env = env;
        this.out = out;
    }

    /** All six commands. */
    public static List<OperatorCommand> all() {
        return java.util.Arrays.stream(Kind.values()).map(OperatorCommand::new).toList();
    }

    @Override
    public void configure(Subparser p) {
        p.help(getDescription()); // the one line "--help" shows for this command
        switch (kind) {
            case REQUEST -> {
                p.addArgument("component").metavar("COMPONENT").help("the component (or 'policy')");
                p.addArgument("file").metavar("FILE").help("the whole new configuration, YAML or JSON"
                        + " (for 'policy': the policy file)");
                p.addArgument("--reason").dest("reason").required(true).metavar("TEXT").help("why (required)");
                p.addArgument("--emergency").dest("emergency").action(Arguments.storeTrue())
                        .help("an emergency change: may only set the component's declared emergency fields");
            }
            case APPROVE, REJECT -> {
                p.addArgument("id").metavar("ID").type(Long.class).help("the change id");
                p.addArgument("--comment").dest("comment").metavar("TEXT").help("a comment in the decision");
                p.addArgument("--yes").dest("yes").action(Arguments.storeTrue()).help("do not ask (for scripts)");
                p.addArgument("--policy-sha256").dest("policySha256").metavar("HEX")
                        .help("refuse unless the policy in force has this hash (pin it)");
            }
            case WITHDRAW -> {
                p.addArgument("id").metavar("ID").type(Long.class).help("the change id");
                p.addArgument("--yes").dest("yes").action(Arguments.storeTrue()).help("do not ask (for scripts)");
            }
            case STATUS -> p.addArgument("id").metavar("ID").type(Long.class).nargs("?")
                    .help("a change id (default: list open changes)");
            case HISTORY -> p.addArgument("component").metavar("COMPONENT").nargs("?")
                    .help("only this component's changes");
            default -> throw new IllegalStateException();
        }
        p.addArgument("--url").dest("url").setDefault(DEFAULT_URL).metavar("URL")
                .help("the foureyes server"); // argparse4j adds "(default: ...)"
        p.addArgument("--key").dest("key").metavar("FILE|ssh:KEY").help("your private key file, or ssh:<fingerprint"
                + " or comment> for an ssh-ed25519 key in your ssh-agent (SSH_AUTH_SOCK); to sign, and for reads of a"
                + " private log an access token is made with it");
        p.addArgument("--name").dest("name").metavar("PRINCIPAL").help("with --key ssh:..., the principal the key"
                + " belongs to (default: the one the server's policy lists with that key)");
        p.addArgument("--passphrase-env").dest("passphraseEnv").setDefault(DEFAULT_PASSPHRASE_ENV).metavar("VAR")
                .help("environment variable with the key file's passphrase");
        p.addArgument("--json").dest("json").action(Arguments.storeTrue()).help("print JSON instead of text");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        Signer key = ns.getString("key") == null ? null : SigningKeys.load(ns.getString("key"), ns.getString("name"),
                ns.getString("passphraseEnv"), env, () -> policyInForce(ns.getString("url")));
        String token = null;
        if (key != null) {
            // Reusable read token (for a log that is not public); never logged by the server.
            token = org.foureyes.statement.StatementSigner.of(key).accessToken(originOf(ns.getString("url")),
                    java.time.Duration.ofMinutes(5));
        }
        ApiClient api = new ApiClient(ns.getString("url"), token);
        BufferedReader in = System.console() == null && kind != Kind.APPROVE && kind != Kind.REJECT
                && kind != Kind.WITHDRAW ? null : new BufferedReader(new InputStreamReader(System.in,
                        StandardCharsets.UTF_8));
        Operator op = new Operator(api, key, out, in, Boolean.TRUE.equals(ns.getBoolean("json")), Clock.systemUTC(),
                kind == Kind.APPROVE || kind == Kind.REJECT ? ns.getString("policySha256") : null);
        boolean yes = Boolean.TRUE.equals(ns.getBoolean("yes"));
        switch (kind) {
            case REQUEST -> op.request(ns.getString("component"), Path.of(ns.getString("file")),
                    ns.getString("reason"), Boolean.TRUE.equals(ns.getBoolean("emergency")));
            case APPROVE -> op.decide(ns.getLong("id"), true, ns.getString("comment"), yes);
            case REJECT -> op.decide(ns.getLong("id"), false, ns.getString("comment"), yes);
            case WITHDRAW -> op.withdraw(ns.getLong("id"), yes);
            case STATUS -> op.status(ns.getLong("id"));
            case HISTORY -> op.history(ns.getString("component"));
            default -> throw new IllegalStateException();
        }
    }

    /** The policy the server has in force, read without a token (to name the principal of an agent key). */
    private static org.foureyes.policy.Policy policyInForce(String url) throws Exception {
        com.fasterxml.jackson.databind.JsonNode view;
        try {
            view = new ApiClient(url, null).get("/v1/policy");
        } catch (ApiClient.ApiException e) {
            if (e.status() == 401) {
                throw new IllegalArgumentException("this log is not public, so the server's policy cannot be read to"
                        + " find whose ssh key this is; give your principal name with --name");
            }
            throw e;
        }
        return org.foureyes.policy.PolicyLoader.fromJson(view.get("policy"), "policy in force");
    }

    /** The log origin, from the server's log key (its name). */
    private static String originOf(String url) throws Exception {
        String text = new ApiClient(url, null).getText("/v1/log/key").strip();
        return org.foureyes.auditlog.VerifierKey.parse(text).name();
    }

    /** Prints the reason only: these errors are the operator's to act on. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println(kind.name + ": " + InputFiles.message(e));
    }
}
