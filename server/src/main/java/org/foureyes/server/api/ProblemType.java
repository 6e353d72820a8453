package org.foureyes.server.api;

/**
 * The stable problem types of the API. The URIs are identifiers (they need not resolve); clients
 * switch on them, so they never change meaning. Listed in docs/storage.md.
 */
public enum ProblemType {
    /** A query or path parameter is missing or not of the right form (e.g. not a number). */
    BAD_PARAMETER("bad-parameter", "Bad parameter", 400),
    /** Numbers that are each well formed but do not make a valid range for this log. */
    BAD_RANGE("bad-range", "Bad range", 400),
    /** The request body is not valid JSON or not of the expected shape. */
    BAD_JSON("bad-json", "Malformed JSON", 400),
    /**
     * A request path the server does not take: path parameters ({@code ;}), encoded slashes, dots,
     * backslashes or NUL, empty segments, {@code ..}, or bytes that are not UTF-8 (issue 13).
     */
    BAD_URI("bad-uri", "Bad request path", 400),
    /** Any other malformed request. */
    BAD_REQUEST("bad-request", "Bad request", 400),
    /** The request is well formed but its content breaks a rule. */
    INVALID("invalid-request", "Invalid request", 422),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    /** The log has no signed checkpoint yet (the service is starting). */
    LOG_EMPTY("log-empty", "Log is empty", 503),
    /** The log cannot take appends right now (stopping, queue full, or the database failed). */
    LOG_UNAVAILABLE("log-unavailable", "Log unavailable", 503),
    /** The database cannot be read right now (gone, unreachable, or not the log's schema); retry later. */
    DATABASE_UNAVAILABLE("database-unavailable", "Database unavailable", 503),
    /** Hashes read from storage disagree with the signed log; nothing built from them is served. */
    STORAGE_CORRUPT("storage-corrupt", "Stored log corrupt", 500),
    /** Another HTTP error without a more specific type. */
    HTTP_ERROR("http-error", "HTTP error", 400),
    INTERNAL("internal-error", "Internal server error", 500);

    public static final String BASE = "https://foureyes.dev/problems/";

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return BASE + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
