package org.foureyes.auditlog.tiles;

/**
 * A tiles source (a mirror, or the host) served something that does not verify: a checkpoint not
 * signed by the pinned key, a tile that does not hash to what the checkpoint commits to, a bundle
 * that does not match its tile. The message is the evidence: which resource, what was expected
 * and what was found.
 */
public final class MirrorException extends Exception {
    private static final long serialVersionUID = 1L;

    public MirrorException(String message) {
        super(message);
    }

    public MirrorException(String message, Throwable cause) {
        super(message, cause);
    }
}
