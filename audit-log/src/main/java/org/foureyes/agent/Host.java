package org.foureyes.agent;

import java.io.IOException;
import java.util.List;

/**
 * The foureyes service as the agent sees it: untrusted. Everything it returns is verified before
 * use. {@link HostClient} talks HTTP; tests and the benchmark plug in fakes.
 */
public interface Host {

    /**
     * {@code GET /v1/components/{component}/release?since=S} (docs/release.md).
     *
     * @param accessToken a {@code foureyes.access/v1} statement by the agent, sent as bearer token
     */
    Release release(String component, long since, String accessToken) throws IOException, HostException;

    /** {@code GET /v1/log/entries?start&end}: exact bytes, possibly fewer than asked for. */
    List<byte[]> entries(long start, long end, String accessToken) throws IOException, HostException;

    /** {@code POST /v1/components/{component}/reports} with a signed report statement. */
    void report(String component, String compactReport) throws IOException, HostException;

    /** The host answered with an error status (the body, a problem, is in the message). */
    final class HostException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        public HostException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** A 4xx answer: the host refused what was sent; sending the same again will not help. */
        public boolean refused() {
            return status >= 400 && status < 500;
        }
    }
}
