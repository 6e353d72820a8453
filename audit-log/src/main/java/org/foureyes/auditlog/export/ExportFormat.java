package org.foureyes.auditlog.export;

/**
 * File names of a log export (docs/export-format.md): a directory holding
 * {@value #ENTRIES_FILE} (every entry from seq 0, one per line, the exact stored bytes, each
 * followed by {@code \n}), {@value #CHECKPOINT_FILE} (the signed checkpoint note covering exactly
 * those entries, with any cosignature lines) and optionally {@value #KEY_FILE} (the log's
 * verifier key, informational only: auditors pin the key themselves).
 */
public final class ExportFormat {
    public static final String ENTRIES_FILE = "entries.ndjson";
    public static final String CHECKPOINT_FILE = "checkpoint";
    public static final String KEY_FILE = "log.key";
    /** Only in a range export (entries from a seq above 0): the tree's border before the first entry ({@link ExportStart}). */
    public static final String START_FILE = "start.json";

    private ExportFormat() {
    }
}
