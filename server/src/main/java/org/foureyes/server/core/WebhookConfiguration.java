package org.foureyes.server.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code webhooks:} in config.yml: where to POST notifications and for which events
 * ({@code requested}, {@code decided}, {@code withdrawn}, {@code reported}, {@code expired},
 * {@code superseded}, {@code activated}, {@code emergency}, {@code refused}; empty or absent: all).
 */
public class WebhookConfiguration {
    @NotEmpty
    private String url;

    private List<String> events = new ArrayList<>();

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url;
    }

    @JsonProperty
    public List<String> getEvents() {
        return events;
    }

    @JsonProperty
    public void setEvents(List<String> events) {
        this.events = events == null ? new ArrayList<>() : events;
    }
}
