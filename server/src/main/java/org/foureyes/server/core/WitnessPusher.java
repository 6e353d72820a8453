package org.foureyes.server.core;

import io.dropwizard.lifecycle.Managed;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.WitnessKey;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.witness.WitnessClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the latest signed checkpoint to each configured witness (C2SP tlog-witness) and stores
 * the cosignature lines they return, which {@code GET /v1/log/checkpoint} then serves with the
 * checkpoint. See docs/witness.md.
 *
 * <p>Never on the append path: each witness has its own task that looks at the latest checkpoint
 * in the database every {@code poll} (so checkpoints of every instance sharing the database are
 * pushed) and submits it when the witness has not cosigned it yet, with a consistency proof from
 * the size the witness cosigned last (learned from its answers; 0 at start, answered by a 409 with
 * its size, from which the proof is rebuilt at once). Intermediate checkpoints may be skipped: a
 * witness only needs to see that each checkpoint it cosigns extends the last one. Failures (network,
 * 4xx/5xx, a cosignature that does not verify) are retried with exponential backoff, from
 * {@code poll} to {@code maxBackoff}.
 */
public final class WitnessPusher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(WitnessPusher.class);

    private final JdbiLogStore store;
    private final List<Target> targets;
    private final Duration poll;
    private final Duration maxBackoff;
    private final Clock clock;
    private ScheduledExecutorService executor;

    /** The state of pushing to one witness; touched only by its own task. */
    private final class Target implements Runnable {
        final WitnessClient client;
        final String name;
        long witnessSize; // the size the witness cosigned last, as far as we know
        long cosigned = -1; // the size of our checkpoint it cosigned last
        int failures;
        long notBefore;

        Target(WitnessClient client) {
            this.client = client;
            this.name = client.witnessKey().name() + "+" + client.witnessKey().keyIdHex();
        }

        @Override
        public void run() {
            try {
                if (System.nanoTime() - notBefore < 0) {
                    return;
                }
                Optional<StoredCheckpoint> latest = store.latestCheckpoint();
                if (latest.isEmpty() || latest.get().size() <= cosigned) {
                    return;
                }
                push(latest.get());
            } catch (Throwable t) { // never let the task die
                failed("unexpected error: " + t);
            }
        }

        private void push(StoredCheckpoint cp) throws Exception {
            WitnessClient.Outcome o = client.submit(cp.note(), cp.size(), witnessSize, store::consistencyProof);
            if (o instanceof WitnessClient.Cosigned c) {
                store.addCosignature(cp.size(), name, c.line(), clock.millis());
                witnessSize = cp.size();
                cosigned = cp.size();
                failures = 0;
                notBefore = System.nanoTime();
            } else if (o instanceof WitnessClient.Conflict c) {
                witnessSize = c.witnessSize();
                if (c.witnessSize() > cp.size()) {
                    // The witness has a newer checkpoint of ours (another instance pushed it): wait for it.
                    LOG.debug("witness {} is at size {}, ahead of checkpoint {}", name, c.witnessSize(), cp.size());
                    return;
                }
                failed("409 Conflict: the witness is at size " + c.witnessSize()
                        + " and did not accept the checkpoint of size " + cp.size() + " with a proof from there");
            } else {
                failed(((WitnessClient.Refused) o).message());
            }
        }

        private void failed(String why) {
            failures++;
            long backoff = Math.min(maxBackoff.toNanos(), poll.toNanos() << Math.min(failures, 20));
            notBefore = System.nanoTime() + backoff;
            LOG.warn("witness {} at {}: {} (attempt {}, next in {} ms)", name, client.endpoint(), why, failures,
                    backoff / 1_000_000);
        }
    }

    public WitnessPusher(JdbiLogStore store, List<WitnessClient> witnesses, Duration poll, Duration maxBackoff,
            Clock clock) {
        this.store = store;
        this.poll = poll;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        this.targets = new ArrayList<>();
        for (WitnessClient w : witnesses) {
            targets.add(new Target(w));
        }
    }

    /**
     * The pusher for the {@code witnesses:} of config.yml (none: it does nothing).
     *
     * @throws IllegalArgumentException naming the entry if a url or key is invalid
     */
    public static WitnessPusher fromConfig(JdbiLogStore store, List<WitnessConfiguration> config) {
        List<WitnessClient> clients = new ArrayList<>();
        for (int i = 0; i < config.size(); i++) {
            WitnessConfiguration w = config.get(i);
            WitnessKey key;
            try {
                key = WitnessKey.parse(w.getKey());
            } catch (KeyFormatException e) {
                throw new IllegalArgumentException("witnesses[" + i + "].key is not a witness key: " + e.getMessage(), e);
            }
            URI url;
            try {
                url = URI.create(w.getUrl());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("witnesses[" + i + "].url is not a URL: " + w.getUrl(), e);
            }
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("witnesses[" + i + "].url must be http or https: " + w.getUrl());
            }
            clients.add(new WitnessClient(url, key));
        }
        return new WitnessPusher(store, clients, Duration.ofMillis(500), Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Override
    public void start() {
        if (targets.isEmpty()) {
            return;
        }
        executor = Executors.newScheduledThreadPool(targets.size(), r -> {
            Thread t = new Thread(r, "witness-pusher");
            t.setDaemon(true);
            return t;
        });
        for (Target t : targets) {
            executor.scheduleWithFixedDelay(t, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
