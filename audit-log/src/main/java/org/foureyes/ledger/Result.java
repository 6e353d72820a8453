package org.foureyes.ledger;

/**
 * What the server answers for an accepted statement: the change, its state after the entry and
 * one sentence on what it means (for example {@code needs 1 more approval from relay-operator,
 * network-operator or analyst}).
 *
 * @param existingChange the change id, or null for a new request (whose id is the seq its
 *     {@code change.requested} entry gets: see {@link #change(long)})
 * @param state the state as the entry's {@code facts.state} says it ({@code requested},
 *     {@code approved}, {@code reviewed}, ...)
 * @param explanation the decision engine's explanation after the entry
 */
public record Result(Long existingChange, String state, String explanation) {

    /** The change id, given the seq of the outcome's first draft. */
    public long change(long firstSeq) {
        return existingChange != null ? existingChange : firstSeq;
    }
}
