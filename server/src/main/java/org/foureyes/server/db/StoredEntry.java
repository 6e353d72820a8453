package org.foureyes.server.db;

/** One stored log entry: its seq, the exact entry bytes and their RFC 6962 leaf hash. */
public record StoredEntry(long seq, byte[] entry, byte[] leafHash) {
}
