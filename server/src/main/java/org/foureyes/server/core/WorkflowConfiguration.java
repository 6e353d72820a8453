package org.foureyes.server.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code workflow:} section of config.yml (see docs/workflow.md). */
public class WorkflowConfiguration {

    /** {@code statement.refused} entries logged per principal in any minute, counted over the whole log. */
    @Min(0)
    private int refusalsPerMinute = 10;

    /**
     * Most open (requested or approved, not yet applied or closed) changes one principal may have
     * requested; a further request is refused ({@code open-limit}, logged as statement.refused). 0: no limit.
     */
    @Min(0)
    private int maxOpenChangesPerPrincipal = 50;

    /** How often the scheduler appends {@code change.expired} for changes past pending_ttl or apply_ttl. */
    @NotNull
    private Duration expiryInterval = Duration.seconds(30);

    /** How often the ledger catches up with entries other instances appended (for reads). */
    @NotNull
    private Duration syncInterval = Duration.seconds(1);

    /** Most bytes of a POSTed statement (413 beyond). */
    @Min(1024)
    @Max(1 << 20)
    private int maxStatementBytes = 64 * 1024;

    /** How long a POST waits for its entry to be durable and signed before answering 503. */
    @NotNull
    private Duration appendTimeout = Duration.seconds(30);

    /** Webhook notifications waiting to be sent at most; beyond it new ones are dropped (and counted). */
    @Min(1)
    private int webhookQueue = 1000;

    /** Attempts per notification (the first included), with exponential backoff between them. */
    @Min(1)
    private int webhookAttempts = 6;

    /** Delay before the first retry; doubled for each further one (at most 10 minutes). */
    @NotNull
    private Duration webhookBackoff = Duration.seconds(2);

    /** Connect and answer timeout of one webhook POST. */
    @NotNull
    private Duration webhookTimeout = Duration.seconds(10);

    @JsonProperty
    public int getWebhookQueue() {
        return webhookQueue;
    }

    @JsonProperty
    public void setWebhookQueue(int webhookQueue) {
        this.webhookQueue = webhookQueue;
    }

    @JsonProperty
    public int getWebhookAttempts() {
        return webhookAttempts;
    }

    @JsonProperty
    public void setWebhookAttempts(int webhookAttempts) {
        this.webhookAttempts = webhookAttempts;
    }

    @JsonProperty
    public Duration getWebhookBackoff() {
        return webhookBackoff;
    }

    @JsonProperty
    public void setWebhookBackoff(Duration webhookBackoff) {
        this.webhookBackoff = webhookBackoff;
    }

    @JsonProperty
    public Duration getWebhookTimeout() {
        return webhookTimeout;
    }

    @JsonProperty
    public void setWebhookTimeout(Duration webhookTimeout) {
        this.webhookTimeout = webhookTimeout;
    }

    @JsonProperty
    public int getMaxOpenChangesPerPrincipal() {
        return maxOpenChangesPerPrincipal;
    }

    @JsonProperty
    public void setMaxOpenChangesPerPrincipal(int maxOpenChangesPerPrincipal) {
        this.maxOpenChangesPerPrincipal = maxOpenChangesPerPrincipal;
    }

    @JsonProperty
    public int getRefusalsPerMinute() {
        return refusalsPerMinute;
    }

    @JsonProperty
    public void setRefusalsPerMinute(int refusalsPerMinute) {
        this.refusalsPerMinute = refusalsPerMinute;
    }

    @JsonProperty
    public Duration getExpiryInterval() {
        return expiryInterval;
    }

    @JsonProperty
    public void setExpiryInterval(Duration expiryInterval) {
        this.expiryInterval = expiryInterval;
    }

    @JsonProperty
    public Duration getSyncInterval() {
        return syncInterval;
    }

    @JsonProperty
    public void setSyncInterval(Duration syncInterval) {
        this.syncInterval = syncInterval;
    }

    @JsonProperty
    public int getMaxStatementBytes() {
        return maxStatementBytes;
    }

    @JsonProperty
    public void setMaxStatementBytes(int maxStatementBytes) {
        this.maxStatementBytes = maxStatementBytes;
    }

    @JsonProperty
    public Duration getAppendTimeout() {
        return appendTimeout;
    }

    @JsonProperty
    public void setAppendTimeout(Duration appendTimeout) {
        this.appendTimeout = appendTimeout;
    }
}
