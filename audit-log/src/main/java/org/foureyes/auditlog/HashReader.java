package org.foureyes.auditlog;

import java.util.List;

/**
 * Source of the stored hashes of complete subtrees (see {@link NodeId}).
 *
 * <p>Proof generation asks for all the nodes it needs in one call, O(log n) of them, so that a
 * database-backed implementation answers a proof with one query.
 */
@FunctionalInterface
public interface HashReader {

    /**
     * Returns the stored hash of each node, in the order of {@code ids}.
     *
     * @throws LogStoreException if a node is not stored (it is not complete yet, or storage is
     *     damaged) or storage cannot be read
     */
    List<byte[]> readHashes(List<NodeId> ids) throws LogStoreException;
}
