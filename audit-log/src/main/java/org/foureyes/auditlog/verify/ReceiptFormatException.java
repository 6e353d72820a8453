package org.foureyes.auditlog.verify;

/** A receipt that is not the documented JSON object at all: nothing could be checked. */
public final class ReceiptFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReceiptFormatException(String message) {
        super(message);
    }
}
