package org.foureyes.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What {@link Ledger#decide} makes of a statement: entries to append and an answer, or a refusal. */
public sealed interface Outcome permits Outcome.Accepted, Outcome.Refused {

    /** The drafts to append, in order (for a refusal: the {@code statement.refused} draft, if logged). */
    List<Draft> drafts();

    /**
     * The statement is accepted.
     *
     * @param drafts the entry the statement causes, then any entries it makes owed (a
     *     {@code policy.activated}, {@code change.superseded}s), in the order they must be appended
     */
    record Accepted(List<Draft> drafts, Result result) implements Outcome {
        public Accepted {
            drafts = List.copyOf(drafts);
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The statement is refused; the state does not change.
     *
     * @param draft the {@code statement.refused} entry to append, present exactly when the refusal
     *     is to be logged (authentic, and not an access token). Whether to append it (rate
     *     limiting per principal) is the server's choice
     */
    record Refused(Refusal refusal, Optional<Draft> draft) implements Outcome {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(draft, "draft");
        }

        @Override
        public List<Draft> drafts() {
            return draft.map(List::of).orElse(List.of());
        }
    }
}
