package org.foureyes.server.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.Configuration;
import java.util.function.Function;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** Dropwizard's {@code server} and {@code check}, failing with one line (see {@link StartFailure}). */
public final class ServeCommand {
    private ServeCommand() {
    }

    /** {@code server CONFIG}: runs the service. */
    public static <T extends Configuration> ServerCommand<T> server(Application<T> app,
            Function<String, String> env) {
        return new ServerCommand<>(app, "server", "Run the foureyes service with a configuration file") {
            @Override
            public void configure(Subparser p) {
                super.configure(p);
                p.help(getDescription());
                StartFailure.addDebugFlag(p);
            }

            @Override
            public void onError(Cli cli, Namespace ns, Throwable e) {
                StartFailure.report("server", cli.getStdErr(), ns, e, env);
            }
        };
    }

    /** {@code check CONFIG}: parses and validates the configuration, then exits. */
    public static <T extends Configuration> CheckCommand<T> check(Application<T> app, Function<String, String> env) {
        return new CheckCommand<>(app) {
            @Override
            public void configure(Subparser p) {
                super.configure(p);
                p.help(getDescription());
                StartFailure.addDebugFlag(p);
            }

            @Override
            public void onError(Cli cli, Namespace ns, Throwable e) {
                StartFailure.report("check", cli.getStdErr(), ns, e, env);
            }
        };
    }
}
