package org.foureyes.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.foureyes.server.core.LogConfiguration;

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

    @JsonProperty
    public String getPolicyFile() {
        return policyFile;
    }

    @JsonProperty
    public void setPolicyFile(String policyFile) {
        this.policyFile = policyFile;
    }
}
