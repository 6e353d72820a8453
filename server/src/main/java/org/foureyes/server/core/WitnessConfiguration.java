package org.foureyes.server.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/**
 * One entry of {@code witnesses:} in config.yml: a C2SP tlog-witness the service pushes its
 * checkpoints to (docs/witness.md).
 *
 * <pre>
 * witnesses:
 *   - url: https://witness.example.org          # submission prefix; /add-checkpoint is appended
 *     key: witness.example.org/w1+4f1a2b3c+BK...  # its cosignature key (type 0x04), pinned here
 * </pre>
 */
public class WitnessConfiguration {

    @NotEmpty
    private String url;

    @NotEmpty
    private String key;

    public WitnessConfiguration() {
    }

    public WitnessConfiguration(String url, String key) {
        this.url = url;
        this.key = key;
    }

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url;
    }

    @JsonProperty
    public String getKey() {
        return key;
    }

    @JsonProperty
    public void setKey(String key) {
        this.key = key;
    }
}
