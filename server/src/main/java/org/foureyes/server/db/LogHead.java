package org.foureyes.server.db;

/**
 * The head of the stored log: its size, and the leaf hash and time (UTC epoch ms) of its last
 * entry ({@code null} while the log is empty).
 */
public record LogHead(long size, byte[] lastLeafHash, Long lastTimeMs) {
}
