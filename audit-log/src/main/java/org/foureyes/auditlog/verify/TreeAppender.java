package org.foureyes.auditlog.verify;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.foureyes.auditlog.Rfc6962;

/**
 * Feeds leaf hashes to a consumer (the verifier's tree appends), either inline or on one helper
 * thread, so that the RFC 6962 node hashing (one node hash per leaf on average) overlaps with
 * reading, scanning and leaf hashing. Leaves travel in batches through bounded queues, so memory
 * stays constant (at most {@value #BATCHES} batches of {@value #BATCH} hashes).
 *
 * <p>The consumer sees the leaves in order, from one thread at a time. {@link #sync()} returns
 * once every leaf added so far has been consumed, and makes the consumer's writes visible to the
 * caller (a latch: happens-before). Used by one producer thread.
 */
final class TreeAppender implements AutoCloseable {

    static final int BATCH = 4096;
    static final int BATCHES = 4;
    private static final int H = Rfc6962.HASH_SIZE;

    private record Batch(byte[] data, int count, CountDownLatch done, boolean stop) {
    }

    private final Consumer<byte[]> consumer;
    private final boolean async;
    private final byte[] one = new byte[H];
    private BlockingQueue<Batch> full;
    private BlockingQueue<byte[]> free;
    private Thread thread;
    private volatile Throwable failure;
    private byte[] current;
    private int count;

    /** @param consumer receives each leaf hash (a reused array: copy what you keep) */
    TreeAppender(Consumer<byte[]> consumer, boolean async) {
        this.consumer = consumer;
        this.async = async;
        if (async) {
            full = new ArrayBlockingQueue<>(BATCHES);
            free = new ArrayBlockingQueue<>(BATCHES + 1);
            for (int i = 0; i < BATCHES; i++) {
                free.add(new byte[BATCH * H]);
            }
            current = new byte[BATCH * H];
            thread = new Thread(this::consume, "foureyes-verify-tree");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Adds one 32-byte leaf hash (copied). */
    void add(byte[] leaf) {
        if (!async) {
            consumer.accept(leaf);
            return;
        }
        System.arraycopy(leaf, 0, current, count * H, H);
        if (++count == BATCH) {
            hand(null, false);
        }
    }

    /** Waits until every leaf added so far has been consumed. */
    void sync() {
        if (!async) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        hand(done, false);
        await(done);
    }

    private void hand(CountDownLatch done, boolean stop) {
        checkFailure();
        try {
            full.put(new Batch(current, count, done, stop));
            current = stop ? null : free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        }
        count = 0;
    }

    private void await(CountDownLatch done) {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        }
        checkFailure();
    }

    private void checkFailure() {
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("tree thread failed: " + t, t);
        }
    }

    private void consume() {
        while (true) {
            Batch b;
            try {
                b = full.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (failure == null) {
                    for (int i = 0; i < b.count; i++) {
                        System.arraycopy(b.data, i * H, one, 0, H);
                        consumer.accept(one);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                if (!b.stop) {
                    free.add(b.data);
                }
                if (b.done != null) {
                    b.done.countDown();
                }
            }
            if (b.stop) {
                return;
            }
        }
    }

    /** Stops the helper thread (after it has consumed what was added). */
    @Override
    public void close() {
        if (async && current != null) {
            CountDownLatch done = new CountDownLatch(1);
            try {
                full.put(new Batch(current, count, done, true));
                current = null;
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thread.interrupt();
            }
        }
    }
}
