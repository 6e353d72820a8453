package org.foureyes.statement;

/** A document outside I-JSON (RFC 7493): what is wrong ({@link #violation()}) and where (a JSON Pointer). */
public final class IJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a document is not I-JSON; stable, for tests and for mapping to error reasons. */
    public enum Violation {
        NOT_UTF8, BYTE_ORDER_MARK, SYNTAX, DUPLICATE_MEMBER, LONE_SURROGATE, NONCHARACTER, NUMBER_OUT_OF_RANGE,
        TOO_DEEP, TOO_LARGE
    }

    private final Violation violation;
    private final String pointer;
    private final String member;

    IJsonException(Violation violation, String pointer, String member, String message) {
        super(message);
        this.violation = violation;
        this.pointer = pointer;
        this.member = member;
    }

    public Violation violation() {
        return violation;
    }

    /** JSON Pointer (RFC 6901) of the offending value, "" for the whole document or when unknown. */
    public String pointer() {
        return pointer;
    }

    /** The repeated name for {@link Violation#DUPLICATE_MEMBER}, else null. */
    public String member() {
        return member;
    }
}
