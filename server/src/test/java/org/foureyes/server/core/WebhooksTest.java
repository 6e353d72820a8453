package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.server.db.JdbiLogStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery limits without a running service: a receiver that does not answer fills the
 * bounded queue, further notifications are dropped and counted, and {@code committed} (called on
 * the log's writer thread) never waits for a receiver.
 */
class WebhooksTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private final MetricRegistry metrics = new MetricRegistry();
    private HttpServer receiver;
    private Webhooks webhooks;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/slow", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                release.await(30, TimeUnit.SECONDS); // a receiver that hangs until the test lets it go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        WebhookConfiguration hook = new WebhookConfiguration();
        hook.setUrl("http://127.0.0.1:" + receiver.getAddress().getPort() + "/slow");
        // The ledger is only asked about entries that name a change; these do not.
        webhooks = new Webhooks(List.of(hook), new ServerLedger(new JdbiLogStore(null)),
                new Webhooks.Settings(2, 1, Duration.ofMillis(50), Duration.ofSeconds(30)), metrics);
        webhooks.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        webhooks.stop();
        receiver.stop(0);
    }

    private static List<LogEntry> expiredEntries(int n) {
        List<LogEntry> out = new ArrayList<>();
        byte[] prev = LogEntry.GENESIS_PREV;
        for (int i = 0; i < n; i++) {
            ObjectNode facts = JsonNodeFactory.instance.objectNode().put("state", "expired");
            LogEntry e = LogEntry.create(1 + i, Instant.parse("2026-11-25T12:00:00Z"), prev, "change.expired", null,
                    facts);
            out.add(e);
            prev = e.leafHash();
        }
        return out;
    }

    private long dropped() {
        return metrics.meter(MetricRegistry.name(Webhooks.class, "dropped")).getCount();
    }

    private long sent() {
        return metrics.meter(MetricRegistry.name(Webhooks.class, "sent")).getCount();
    }

    @Test
    void committed_receiverHangsAndQueueIsFull_dropsTheRestAtOnceAndCountsThem() throws Exception {
        long t0 = System.nanoTime();
        webhooks.committed(expiredEntries(5));
        // Returned while the receiver still holds the first POST: the writer thread never waits.
        assertThat(release.getCount()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(webhooks.pending()).isEqualTo(2);
        assertThat(dropped()).isEqualTo(3);

        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((webhooks.pending() > 0 || sent() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sent()).isEqualTo(2);
        assertThat(received.get()).isEqualTo(2);
        assertThat(webhooks.pending()).isZero();
        assertThat(dropped()).isEqualTo(3);
    }

    @Test
    void committed_afterTheQueueDrained_acceptsNotificationsAgain() throws Exception {
        webhooks.committed(expiredEntries(3));
        assertThat(dropped()).isEqualTo(1);
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (webhooks.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        webhooks.committed(expiredEntries(2));
        while ((webhooks.pending() > 0 || sent() < 4) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sent()).isEqualTo(4);
        assertThat(dropped()).isEqualTo(1);
    }
}
