package org.foureyes.server.core;

import io.dropwizard.lifecycle.Managed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.policy.PublishedTestKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started after the log bootstrap: replays the stored log into the ledger (fatal if it does not
 * replay), warns when the configured policy file is not the policy in force, appends owed entries,
 * then runs the ledger's catch-up (every {@code syncInterval}) and the expiry scheduler (every
 * {@code expiryInterval}) on one background thread.
 */
public final class WorkflowLifecycle implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowLifecycle.class);

    private final Workflow workflow;
    private final Path policyFile;
    private final Duration syncInterval;
    private final Duration expiryInterval;
    private ScheduledExecutorService scheduler;

    public WorkflowLifecycle(Workflow workflow, Path policyFile, Duration syncInterval, Duration expiryInterval) {
        this.workflow = workflow;
        this.policyFile = policyFile;
        this.syncInterval = syncInterval;
        this.expiryInterval = expiryInterval;
    }

    @Override
    public void start() {
        ServerLedger ledger = workflow.ledger();
        ledger.load();
        warnOnPolicyDrift(ledger, policyFile);
        warnOnPublishedTestKeys(ledger.policy().policy());
        if (!ledger.read(l -> l.owed().isEmpty())) {
            workflow.expireDue(); // appends owed entries first
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workflow-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(guard(ledger::refresh), syncInterval.toMillis(), syncInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard(workflow::expireDue), expiryInterval.toMillis(),
                expiryInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("workflow background task failed: {}", e.toString(), e);
            }
        };
    }

    @Override
    public void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** A policy in force that lists a test key is trusted by no one who knows it: say so, in the log and on stderr. */
    static void warnOnPublishedTestKeys(Policy inForce) {
        PublishedTestKeys.warning(inForce).ifPresent(w -> {
            LOG.warn(w);
            System.err.println(w);
        });
    }

    /**
     * The configured policy file is read only for the genesis entry; afterwards policies change only
     * through changes to the {@code policy} component. Says so when the file differs.
     */
    static void warnOnPolicyDrift(ServerLedger ledger, Path file) {
        if (file == null) {
            return;
        }
        String inForce = ledger.policy().sha256();
        String fileHash;
        try {
            Policy p = PolicyLoader.load(file);
            fileHash = PolicyHash.sha256Hex(p);
        } catch (PolicyException | RuntimeException e) {
            LOG.warn("the policy file {} (policyFile) does not load ({}); it is not in force anyway: the policy in"
                    + " force is {} from the log", file, e.getMessage(), inForce);
            return;
        }
        if (!fileHash.equals(inForce)) {
            LOG.warn("the policy file {} (sha256 {}) differs from the policy in force (sha256 {}, from entry {})."
                    + " Editing the file changes nothing: a policy takes effect only as an approved change to the"
                    + " component 'policy'. To propose it: java -jar foureyes.jar request policy {} --reason"
                    + " '<why>' --key <your key file> (check it first with: java -jar foureyes.jar policy diff)",
                    file, fileHash, inForce, ledger.policy().activatedSeq(), file);
        }
    }
}
