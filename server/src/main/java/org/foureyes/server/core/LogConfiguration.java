package org.foureyes.server.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/**
 * The {@code log:} section of config.yml: the log's origin (its identity, and the name of its
 * key), where the log key is, and optionally the environment variable holding its passphrase.
 */
public class LogConfiguration {

    /** The log origin, e.g. {@code foureyes.example/tor-exit-log}; the log key must carry this name. */
    @NotEmpty
    private String origin = "foureyes.example/tor-exit-log";

    /** The private log key (mode 0600). Created with name = origin on first start if absent. */
    @NotEmpty
    private String keyFile = "./data/log.key";

    /** Name of an environment variable holding the key file's passphrase; unset for a plain key file. */
    private String keyPassphraseEnv;

    /**
     * Whether anyone may read the log and the workflow's state (the default, for transparency). When
     * false, reads need a {@code foureyes.access/v1} bearer token of a principal with the read right
     * (agents may read what concerns their components).
     */
    private boolean publicLog = true;

    @JsonProperty("public")
    public boolean isPublic() {
        return publicLog;
    }

    @JsonProperty("public")
    public void setPublic(boolean publicLog) {
        this.publicLog = publicLog;
    }

    @JsonProperty
    public String getOrigin() {
        return origin;
    }

    @JsonProperty
    public void setOrigin(String origin) {
        this.origin = origin;
    }

    @JsonProperty
    public String getKeyFile() {
        return keyFile;
    }

    @JsonProperty
    public void setKeyFile(String keyFile) {
        this.keyFile = keyFile;
    }

    @JsonProperty
    public String getKeyPassphraseEnv() {
        return keyPassphraseEnv;
    }

    @JsonProperty
    public void setKeyPassphraseEnv(String keyPassphraseEnv) {
        this.keyPassphraseEnv = keyPassphraseEnv;
    }
}
