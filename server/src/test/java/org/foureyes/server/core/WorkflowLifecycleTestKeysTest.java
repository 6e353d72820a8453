package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.server.AppTestSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The server warns at start, in its log and on stderr, when the policy in force lists published test keys. */
class WorkflowLifecycleTestKeysTest {
    @Test
    void warnOnPublishedTestKeys_torExitPolicy_logsWarnAndPrintsOnStderrNamingPrincipals() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(WorkflowLifecycle.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            WorkflowLifecycle.warnOnPublishedTestKeys(PolicyLoader.load(AppTestSupport.policyFile()));
        } finally {
            System.setErr(before);
            logger.detachAppender(logged);
        }

        assertThat(logged.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("TEST KEYS", "rene, nora, anna");
        });
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TEST KEYS", "ines");
    }
}
