package org.foureyes.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.foureyes.auditlog.EntryType;
import org.foureyes.policy.ChangeState;
import org.foureyes.policy.Decision;
import org.foureyes.policy.DecisionKind;
import org.foureyes.policy.Evaluation;
import org.foureyes.policy.PendingChange;
import org.foureyes.policy.Policy;

/**
 * One change as the log says it is: the request, the decisions, and what happened to it since.
 * Immutable; the ledger replaces the record on every entry about the change.
 */
public final class ChangeRecord {

    /** An accepted decision on the change. */
    public record DecisionRecord(long seq, String principal, DecisionKind kind, Instant iat, String statementSha256,
            String statement) {
        Decision decision() {
            return new Decision(principal, kind, iat);
        }
    }

    /**
     * An entry about the change, in log order.
     *
     * @param statement the statement the entry carries, null for entries without one
     * @param state the {@code facts.state} the entry records
     */
    public record Event(long seq, Instant time, EntryType type, String statement, String state) {}

    private final long id;
    private final String component;
    private final String requester;
    private final String requestStatement;
    private final String requestSha256;
    private final String requestJti;
    private final JsonNode config;
    private final String configSha256;
    private final String base;
    private final String reason;
    private final boolean emergency;
    private final Instant requestIat;
    private final Instant requestedAt;
    private final String policySha256;
    private final List<DecisionRecord> decisions;
    private final ChangeState state;
    private final Instant approvedAt;
    private final Instant tookEffectAt;
    private final Instant closedAt;
    private final String closeReason;
    private final Evaluation.Review review;
    private final Instant reviewDue;
    private final String explanation;
    private final List<Event> events;
    private final Policy proposedPolicy;

    private ChangeRecord(Builder b) {
        this.id = b.id;
        this.component = b.component;
        this.requester = b.requester;
        this.requestStatement = b.requestStatement;
        this.requestSha256 = b.requestSha256;
        this.requestJti = b.requestJti;
        this.config = b.config;
        this.configSha256 = b.configSha256;
        this.base = b.base;
        this.reason = b.reason;
        this.emergency = b.emergency;
        this.requestIat = b.requestIat;
        this.requestedAt = b.requestedAt;
        this.policySha256 = b.policySha256;
        this.decisions = List.copyOf(b.decisions);
        this.state = b.state;
        this.approvedAt = b.approvedAt;
        this.tookEffectAt = b.tookEffectAt;
        this.closedAt = b.closedAt;
        this.closeReason = b.closeReason;
        this.review = b.review;
        this.reviewDue = b.reviewDue;
        this.explanation = b.explanation;
        this.events = List.copyOf(b.events);
        this.proposedPolicy = b.proposedPolicy;
    }

    /** The change id: the seq of its {@code change.requested} entry. */
    public long id() {
        return id;
    }

    public String component() {
        return component;
    }

    /** The principal who signed the request. */
    public String requester() {
        return requester;
    }

    /** The request statement, compact JWS, exactly as logged. */
    public String requestStatement() {
        return requestStatement;
    }

    /** Hex SHA-256 of the request statement: what decisions and withdrawals bind to. */
    public String requestSha256() {
        return requestSha256;
    }

    public String requestJti() {
        return requestJti;
    }

    /** The requested configuration (a copy). */
    public JsonNode config() {
        return config.deepCopy();
    }

    JsonNode configShared() {
        return config;
    }

    /** Hex SHA-256 of the requested configuration: what the agent's {@code applied} must be. */
    public String configSha256() {
        return configSha256;
    }

    /** The request's {@code base}: the hash of the configuration it replaces, empty if none. */
    public Optional<String> base() {
        return Optional.ofNullable(base);
    }

    String baseOrNull() {
        return base;
    }

    public String reason() {
        return reason;
    }

    public boolean emergency() {
        return emergency;
    }

    /** The request statement's signed {@code iat}: pending_ttl runs from here. */
    public Instant requestIat() {
        return requestIat;
    }

    /** The time of the {@code change.requested} entry. */
    public Instant requestedAt() {
        return requestedAt;
    }

    /** The hash of the policy in force when the change was requested. */
    public String policySha256() {
        return policySha256;
    }

    /** Accepted decisions, in log order (for an emergency, its review included). */
    public List<DecisionRecord> decisions() {
        return decisions;
    }

    public ChangeState state() {
        return state;
    }

    /**
     * When the approval rule came to hold: the {@code iat} of the approving decision that completed
     * it (the request's {@code iat} if the rule needs no approval); apply_ttl runs from here.
     */
    public Optional<Instant> approvedAt() {
        return Optional.ofNullable(approvedAt);
    }

    /** The time of the entry with which the change took effect (applied report, or policy activation). */
    public Optional<Instant> tookEffectAt() {
        return Optional.ofNullable(tookEffectAt);
    }

    /** The time of the entry that closed the change (anything but requested and approved). */
    public Optional<Instant> closedAt() {
        return Optional.ofNullable(closedAt);
    }

    /** The {@code reason} of a {@code change.expired} or {@code change.superseded} entry. */
    public Optional<String> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    /** The review of an emergency ({@link Evaluation.Review#NOT_REQUIRED} for other changes). */
    public Evaluation.Review review() {
        return review;
    }

    /**
     * For an emergency that took effect: when its review is due ({@code review_within} after it took
     * effect, under the policy in force then).
     */
    public Optional<Instant> reviewDue() {
        return Optional.ofNullable(reviewDue);
    }

    /** The decision engine's sentence after the latest entry about the change (what is still missing). */
    public String explanation() {
        return explanation;
    }

    /** Every entry about the change, in log order. */
    public List<Event> events() {
        return events;
    }

    /** For a change to {@code policy}: the requested policy, loaded and analysed at request time. */
    Policy proposedPolicy() {
        return proposedPolicy;
    }

    /** What the decision engine needs to judge the change. */
    public PendingChange pending() {
        List<Decision> ds = new ArrayList<>(decisions.size());
        for (DecisionRecord d : decisions) {
            ds.add(d.decision());
        }
        Optional<ChangeState> outcome = switch (state) {
            case REQUESTED, APPROVED, REJECTED -> Optional.empty();
            default -> Optional.of(state);
        };
        return new PendingChange(component, requester, emergency, requestIat, ds, outcome);
    }

    Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.component = component;
        b.requester = requester;
        b.requestStatement = requestStatement;
        b.requestSha256 = requestSha256;
        b.requestJti = requestJti;
        b.config = config;
        b.configSha256 = configSha256;
        b.base = base;
        b.reason = reason;
        b.emergency = emergency;
        b.requestIat = requestIat;
        b.requestedAt = requestedAt;
        b.policySha256 = policySha256;
        b.decisions = new ArrayList<>(decisions);
        b.state = state;
        b.approvedAt = approvedAt;
        b.tookEffectAt = tookEffectAt;
        b.closedAt = closedAt;
        b.closeReason = closeReason;
        b.review = review;
        b.reviewDue = reviewDue;
        b.explanation = explanation;
        b.events = new ArrayList<>(events);
        b.proposedPolicy = proposedPolicy;
        return b;
    }

    @Override
    public String toString() {
        return "change " + id + " to " + component + (emergency ? " (emergency)" : "") + " by " + requester + ": "
                + state.word() + "; " + explanation;
    }

    static final class Builder {
        long id;
        String component;
        String requester;
        String requestStatement;
        String requestSha256;
        String requestJti;
        JsonNode config;
        String configSha256;
        String base;
        String reason;
        boolean emergency;
        Instant requestIat;
        Instant requestedAt;
        String policySha256;
        List<DecisionRecord> decisions = new ArrayList<>();
        ChangeState state;
        Instant approvedAt;
        Instant tookEffectAt;
        Instant closedAt;
        String closeReason;
        Evaluation.Review review = Evaluation.Review.NOT_REQUIRED;
        Instant reviewDue;
        String explanation = "";
        List<Event> events = new ArrayList<>();
        Policy proposedPolicy;

        ChangeRecord build() {
            return new ChangeRecord(this);
        }
    }
}
