package org.foureyes.server.db;

/** The hash of the complete subtree at ({@code level}, {@code index}). */
public record StoredNode(int level, long index, byte[] hash) {
}
