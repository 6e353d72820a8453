package org.foureyes.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.foureyes.auditlog.KeyFileException;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;

/**
 * {@code foureyes-verify agent --config agent.yml [--once]}: runs rounds until stopped, or one
 * round with {@code --once}. Exit codes are in docs/agent.md.
 */
public final class AgentMain {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;
    public static final int UNREACHABLE = 4;

    static final String USAGE_TEXT = String.join("\n",
            "usage: foureyes-verify agent --config <agent.yml> [--once] [--debug]",
            "",
            "The agent of a managed machine: verifies the log (checkpoint signature, cosignatures,",
            "consistency, every entry since the kept checkpoint through the verifying replay), applies",
            "the newest approved change of its component, runs its hook and reports. See docs/agent.md.",
            "",
            "  --config FILE  the agent's configuration (YAML)",
            "  --once         one round, then exit with its result",
            "",
            "exit codes (--once): 0 round done, 1 refused (a check failed), 2 usage, configuration or",
            "state error, 3 a change failed and was reported failed, 4 the service could not be reached",
            "");

    private AgentMain() {
    }

    /** Runs the subcommand; {@code args} start after the word {@code agent}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String configFile = null;
        boolean once = false;
        boolean debug = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (++i >= args.length) {
                        err.println("foureyes-agent: --config needs a file");
                        return USAGE;
                    }
                    configFile = args[i];
                }
                case "--once" -> once = true;
                case "--debug" -> debug = true;
                case "-h", "--help" -> {
                    out.print(USAGE_TEXT);
                    return OK;
                }
                default -> {
                    err.println("foureyes-agent: unknown argument " + args[i].replaceAll("[\\x00-\\x1f]", "?") + "\n"
                            + USAGE_TEXT.trim());
                    return USAGE;
                }
            }
        }
        if (configFile == null) {
            err.println("foureyes-agent: --config is required\n" + USAGE_TEXT.trim());
            return USAGE;
        }
        Agent agent;
        AgentConfig config;
        try {
            config = AgentConfig.load(Path.of(configFile));
            agent = new Agent(config, readKey(config), new HostClient(config.server(), config.httpTimeout()),
                    Clock.systemUTC());
        } catch (AgentException e) {
            err.println("foureyes-agent: REFUSED " + e);
            return USAGE;
        }
        String who = "foureyes-agent " + config.component() + ": ";
        while (true) {
            int code = round(agent, who, err, debug);
            if (once) {
                return code;
            }
            if (code == USAGE) {
                return code; // the state directory or configuration needs a person
            }
            try {
                Thread.sleep(config.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OK;
            }
        }
    }

    static int round(Agent agent, String who, PrintStream err, boolean debug) {
        try {
            Agent.RoundResult r = agent.round();
            for (String n : r.notes()) {
                err.println(who + n);
            }
            err.println(who + Instant.now() + " verified checkpoint " + r.size() + " (+" + r.newEntries() + " entries); "
                    + r.action().name().toLowerCase(java.util.Locale.ROOT) + (r.change() == null ? "" : " change " + r.change()));
            return r.action() == Agent.Action.FAILED ? FAILED : OK;
        } catch (AgentException e) {
            err.println(who + "REFUSED " + e);
            if (debug) {
                e.printStackTrace(err);
            }
            return switch (e.check()) {
                case CONFIG, STATE -> USAGE;
                case FETCH -> UNREACHABLE;
                default -> REFUSED;
            };
        } catch (RuntimeException e) {
            err.println(who + "internal error: " + e);
            if (debug) {
                e.printStackTrace(err);
            }
            return REFUSED;
        }
    }

    static SignerKey readKey(AgentConfig config) throws AgentException {
        char[] pass = null;
        if (config.passphraseEnv() != null) {
            String v = System.getenv(config.passphraseEnv());
            if (v == null || v.isEmpty()) {
                throw new AgentException(AgentException.Check.CONFIG, "key_passphrase_env names "
                        + config.passphraseEnv() + ", but it is unset or empty");
            }
            pass = v.toCharArray();
        }
        try {
            SignerKey k = SignerKeyFile.read(config.keyFile(), pass);
            return k;
        } catch (IOException | KeyFileException e) {
            throw new AgentException(AgentException.Check.CONFIG, "cannot read the agent key: " + e.getMessage(), e);
        } finally {
            if (pass != null) {
                java.util.Arrays.fill(pass, '\0');
            }
        }
    }
}
