package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogBootstrapTest {
    static final String ORIGIN = "foureyes.test/bootstrap-log";
    private final TestDatabase db = TestDatabase.sqlite();
    private final Jdbi jdbi = db.newJdbi();
    private final JdbiLogStore store = new JdbiLogStore(jdbi);
    private final AtomicInteger policyReads = new AtomicInteger();
    private LogAppender appender;

    @AfterEach
    void close() throws Exception {
        if (appender != null) {
            appender.stop();
        }
        db.close();
    }

    private LogBootstrap bootstrap(SignerKey key) throws InterruptedException {
        if (appender != null) {
            appender.stop();
        }
        LogKeySigner signer = new LogKeySigner(key, key.name());
        appender = new LogAppender(jdbi, Dialect.of(jdbi), signer, Clock.systemUTC(), new MetricRegistry(),
                LogAppender.Settings.DEFAULT);
        appender.start();
        return new LogBootstrap(store, appender, signer, () -> {
            policyReads.incrementAndGet();
            return new LogBootstrap.InitialPolicy(JsonNodeFactory.instance.objectNode().put("policy", "p"),
                    "ab".repeat(32));
        });
    }

    @Test
    void start_emptyLog_writesGenesisOnceAndReadsThePolicyOnce() throws Exception {
        SignerKey key = SignerKey.generate(ORIGIN);
        bootstrap(key).start();
        bootstrap(key).start();
        assertThat(store.size()).isEqualTo(1);
        assertThat(policyReads).hasValue(1);
    }

    @Test
    void start_logOfAnotherKey_refusesToStart() throws Exception {
        bootstrap(SignerKey.generate(ORIGIN)).start();
        LogBootstrap other = bootstrap(SignerKey.generate(ORIGIN));
        assertThatThrownBy(other::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configured for").hasMessageContaining(ORIGIN);
    }
}
