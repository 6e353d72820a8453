package org.foureyes.server.db;

/**
 * The signed head of the stored log: the size and root hash of its latest signed checkpoint
 * ({@code 0} and {@code null} while the log is empty). Every append transaction writes a
 * checkpoint of its new size, so this is also the number of stored entries.
 */
public record LogHead(long size, byte[] rootHash) {
}
