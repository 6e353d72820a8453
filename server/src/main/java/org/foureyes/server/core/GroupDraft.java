package org.foureyes.server.core;

import java.util.List;

/**
 * Entries that must be appended together at consecutive seqs, in one transaction, or not at all.
 * {@link AppendContext#seq()} is the seq of the first; entry k gets seq {@code seq() + k}, and all
 * get {@link AppendContext#time()}. Same rules as {@link EntryDraft}.
 */
@FunctionalInterface
public interface GroupDraft {

    List<EntryContent> draft(AppendContext context) throws EntryRefusedException;
}
