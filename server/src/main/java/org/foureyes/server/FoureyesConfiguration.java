package org.foureyes.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.server.core.LogConfiguration;
import org.foureyes.server.core.WitnessConfiguration;
import org.foureyes.server.core.WebhookConfiguration;
import org.foureyes.server.core.WorkflowConfiguration;

/** The service's configuration, read from {@code config.yml}. */
public class FoureyesConfiguration extends Configuration {

    /** Where the service keeps its files (the SQLite database and, in the quick start, the log key). */
    @NotEmpty
    private String dataDir = "./data";

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    /** The transparency log: origin and key. */
    @Valid
    @NotNull
    private LogConfiguration log = new LogConfiguration();

    /**
     * The policy file that a new log starts with (recorded in its genesis entry). Read only while
     * the log is empty; afterwards the policy in force is the one in the log.
     */
    @NotEmpty
    private String policyFile = "policies/tor-exit.yml";

    /** The change workflow: refusal rate limit, expiry and sync intervals, statement size, webhook delivery. */
    @Valid
    @NotNull
    private WorkflowConfiguration workflow = new WorkflowConfiguration();

    /** Webhooks notified of new requests, decisions, emergencies, refusals... (see docs/workflow.md). */
    @Valid
    @NotNull
    private List<WebhookConfiguration> webhooks = new ArrayList<>();

    @JsonProperty("workflow")
    public WorkflowConfiguration getWorkflow() {
        return workflow;
    }

    @JsonProperty("workflow")
    public void setWorkflow(WorkflowConfiguration workflow) {
        this.workflow = workflow;
    }

    @JsonProperty("webhooks")
    public List<WebhookConfiguration> getWebhooks() {
        return webhooks;
    }

    @JsonProperty("webhooks")
    public void setWebhooks(List<WebhookConfiguration> webhooks) {
        this.webhooks = webhooks == null ? new ArrayList<>() : webhooks;
    }

    @JsonProperty
    public String getDataDir() {
        return dataDir;
    }

    @JsonProperty
    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    @JsonProperty("database")
    public DataSourceFactory getDataSourceFactory() {
        return database;
    }

    @JsonProperty("database")
    public void setDataSourceFactory(DataSourceFactory database) {
        this.database = database;
    }

    @JsonProperty("log")
    public LogConfiguration getLog() {
        return log;
    }

    @JsonProperty("log")
    public void setLog(LogConfiguration log) {
        this.log = log;
    }

    /** Witnesses to push each new checkpoint to (docs/witness.md); none by default. */
    @Valid
    @NotNull
    private List<WitnessConfiguration> witnesses = new ArrayList<>();

    @JsonProperty
    public List<WitnessConfiguration> getWitnesses() {
        return witnesses;
    }

    @JsonProperty
    public void setWitnesses(List<WitnessConfiguration> witnesses) {
        this.witnesses = witnesses;
    }

    @JsonProperty
    public String getPolicyFile() {
        return policyFile;
    }

    @JsonProperty
    public void setPolicyFile(String policyFile) {
        this.policyFile = policyFile;
    }
}
