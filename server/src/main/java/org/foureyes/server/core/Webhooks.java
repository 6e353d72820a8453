package org.foureyes.server.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.ledger.ChangeRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications for the people who must act: a JSON POST to each configured webhook for the
 * events it asks for, sent after the entries are committed, by one background thread, from a
 * bounded queue. A failed POST (no answer, or not 2xx) is retried with exponential backoff; when
 * the queue is full or the attempts are used up, the notification is dropped, counted and logged.
 * Nothing here ever blocks or fails the workflow (see docs/workflow.md).
 */
public final class Webhooks implements CommitListener, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    /** Every event name a webhook may ask for. */
    public static final Set<String> EVENTS = Set.of("requested", "decided", "withdrawn", "reported", "expired",
            "superseded", "activated", "emergency", "refused");

    /** Delivery limits. */
    public record Settings(int queueCapacity, int maxAttempts, Duration initialBackoff, Duration timeout) {
    }

    private record Target(URI url, Set<String> events) {
    }

    private record Delivery(Target target, String event, byte[] body, int attempt) {
    }

    private final List<Target> targets;
    private final ServerLedger ledger;
    private final Settings settings;
    private final HttpClient http;
    private final AtomicInteger pending = new AtomicInteger();
    private final Meter sent;
    private final Meter failedAttempts;
    private final Meter dropped;
    private ScheduledThreadPoolExecutor executor;

    public Webhooks(List<WebhookConfiguration> config, ServerLedger ledger, Settings settings, MetricRegistry metrics) {
        this.ledger = ledger;
        this.settings = settings;
        List<Target> ts = new ArrayList<>();
        for (WebhookConfiguration c : config == null ? List.<WebhookConfiguration>of() : config) {
            Set<String> events = new LinkedHashSet<>();
            for (String e : c.getEvents()) {
                String ev = e.trim().toLowerCase(Locale.ROOT);
                if (!EVENTS.contains(ev)) {
                    throw new IllegalArgumentException("webhook " + c.getUrl() + ": unknown event '" + e
                            + "'; known events: " + EVENTS.stream().sorted().toList());
                }
                events.add(ev);
            }
            URI url = URI.create(c.getUrl());
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("webhook url must be http or https: " + c.getUrl());
            }
            ts.add(new Target(url, events.isEmpty() ? EVENTS : Set.copyOf(events)));
        }
        this.targets = List.copyOf(ts);
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.sent = metrics.meter(MetricRegistry.name(Webhooks.class, "sent"));
        this.failedAttempts = metrics.meter(MetricRegistry.name(Webhooks.class, "failed-attempts"));
        this.dropped = metrics.meter(MetricRegistry.name(Webhooks.class, "dropped"));
        metrics.gauge(MetricRegistry.name(Webhooks.class, "pending"), () -> pending::get);
    }

    @Override
    public synchronized void start() {
        if (executor == null && !targets.isEmpty()) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "webhooks");
                t.setDaemon(true);
                return t;
            });
        }
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
            executor = null;
        }
    }

    /** Notifications waiting or being retried. */
    public int pending() {
        return pending.get();
    }

    @Override
    public void committed(List<LogEntry> entries) {
        if (targets.isEmpty()) {
            return;
        }
        for (LogEntry e : entries) {
            Set<String> tags = tags(e);
            if (tags.isEmpty()) {
                continue;
            }
            byte[] body = null;
            for (Target t : targets) {
                List<String> matching = tags.stream().filter(t.events()::contains).toList();
                if (matching.isEmpty()) {
                    continue;
                }
                if (body == null) {
                    body = payload(e, tags);
                }
                enqueue(new Delivery(t, tags.iterator().next(), body, 1));
            }
        }
    }

    private void enqueue(Delivery d) {
        ScheduledThreadPoolExecutor ex = executor;
        if (ex == null) {
            return;
        }
        if (pending.incrementAndGet() > settings.queueCapacity()) {
            pending.decrementAndGet();
            dropped.mark();
            LOG.warn("webhook queue full ({} waiting): dropped the {} notification for {}", settings.queueCapacity(),
                    d.event(), d.target().url());
            return;
        }
        try {
            ex.execute(() -> attempt(d));
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
        }
    }

    private void attempt(Delivery d) {
        String failure;
        try {
            HttpRequest req = HttpRequest.newBuilder(d.target().url()).timeout(settings.timeout())
                    .header("Content-Type", "application/json").header("User-Agent", "foureyes-webhook")
                    .header("X-Foureyes-Event", d.event())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build();
            HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (resp.statusCode() / 100 == 2) {
                sent.mark();
                pending.decrementAndGet();
                return;
            }
            failure = "HTTP " + resp.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.decrementAndGet();
            return;
        } catch (Exception e) {
            failure = e.toString();
        }
        failedAttempts.mark();
        ScheduledThreadPoolExecutor ex = executor;
        if (d.attempt() >= settings.maxAttempts() || ex == null) {
            pending.decrementAndGet();
            dropped.mark();
            LOG.warn("webhook {}: gave up on the {} notification after {} attempts (last: {})", d.target().url(),
                    d.event(), d.attempt(), failure);
            return;
        }
        Duration delay = settings.initialBackoff().multipliedBy(1L << Math.min(20, d.attempt() - 1));
        if (delay.compareTo(MAX_BACKOFF) > 0) {
            delay = MAX_BACKOFF;
        }
        LOG.info("webhook {}: attempt {} failed ({}); retrying in {} ms", d.target().url(), d.attempt(), failure,
                delay.toMillis());
        try {
            ex.schedule(() -> attempt(new Delivery(d.target(), d.event(), d.body(), d.attempt() + 1)),
                    delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
        }
    }

    /** The events an entry stands for, the main one first. */
    static Set<String> tags(LogEntry e) {
        Set<String> out = new LinkedHashSet<>();
        switch (e.type()) {
            case "change.requested" -> {
                if (e.statement().flatMap(StatementPeek::payload).map(p -> p.path("emergency").asBoolean(false))
                        .orElse(false)) {
                    out.add("emergency");
                }
                out.add("requested");
            }
            case "change.decided" -> out.add("decided");
            case "change.withdrawn" -> out.add("withdrawn");
            case "change.reported" -> out.add("reported");
            case "change.expired" -> out.add("expired");
            case "change.superseded" -> out.add("superseded");
            case "policy.activated" -> out.add("activated");
            case "statement.refused" -> out.add("refused");
            default -> {
            }
        }
        return out;
    }

    private byte[] payload(LogEntry e, Set<String> tags) {
        ObjectNode n = JSON.createObjectNode();
        n.put("event", tags.iterator().next());
        ArrayNode ts = n.putArray("events");
        tags.forEach(ts::add);
        n.put("origin", ledger.origin());
        n.put("seq", e.seq());
        n.put("time", e.time().toString());
        n.put("type", e.type());
        JsonNode facts = e.facts();
        Optional<JsonNode> payload = e.statement().flatMap(StatementPeek::payload);
        Long change = facts.path("change").isIntegralNumber() ? Long.valueOf(facts.get("change").asLong())
                : payload.map(p -> p.path("change")).filter(JsonNode::isIntegralNumber).map(JsonNode::asLong)
                        .orElse(null);
        if (change != null) {
            n.put("change", change);
            long id = change;
            Optional<ChangeRecord> r = ledger.read(l -> l.change(id));
            r.ifPresent(rec -> {
                n.put("component", rec.component());
                n.put("emergency", rec.emergency());
                n.put("explanation", rec.explanation());
            });
        }
        if (!n.has("component")) {
            String c = facts.path("component").isTextual() ? facts.get("component").asText()
                    : payload.map(p -> p.path("component")).filter(JsonNode::isTextual).map(JsonNode::asText)
                            .orElse(null);
            if (c != null) {
                n.put("component", c);
            }
        }
        if (facts.has("state")) {
            n.set("state", facts.get("state"));
        }
        payload.map(p -> p.path("iss")).filter(JsonNode::isTextual).ifPresent(i -> n.set("principal", i));
        if (facts.has("reason")) {
            n.set("reason", facts.get("reason"));
        }
        if (facts.has("problem")) {
            n.set("problem", facts.get("problem"));
        }
        n.put("entry", e.toString());
        try {
            return JSON.writeValueAsBytes(n);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
