package io.eventstream.jobs.reviewers;

import io.eventstream.features.reviewers.ReviewerState.TileGroup;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Which tile keys are stored, per project and tile group, in memory: so that
 * {@link MapStateReviewerState#tiles(TileGroup, long)} answers "absent" without a state read. An
 * emission sums the tiles of every candidate with each of the merge request's paths and prefixes and
 * with its author, and most of those keys were never stored (the candidate never touched that path):
 * on RocksDB each such miss was a serialized key and a native lookup, the keyed task's largest cost
 * after the candidate scan.
 *
 * <p>Like {@link RankedUsersMirror} it is a cache, not state: not checkpointed, so a restored or
 * rescaled subtask starts without it; a group missing from it is rebuilt from the tiles
 * {@code MapState} at its next lookup (one pass over its keys). Past {@link #maxKeys} keys over all
 * projects it evicts the projects least recently used, all but the one in use, which keeps at most
 * {@link #maxKeys} per group: a project group with more is not mirrored (it is looked up in state, as
 * without the mirror) until the project's tiles are cleared or the subtask restarts. fastutil's
 * open-addressing sets keep a key in about 16 bytes, against about 50 for a {@code HashSet<Long>}.
 */
final class TileKeysMirror {
    /**
     * The most stored tile keys (path, prefix and pair groups) a subtask mirrors, over all its keys: about
     * 16 MB at fastutil's 16 bytes or so per key; a group with more is read from state directly.
     */
    private static final long MAX_MIRRORED_TILE_KEYS = 1_000_000;

    /**
     * A subtask's mirror, or null without one. Worth it on RocksDB, where a read of an absent tile key is
     * a native lookup: it answers most of an emission's reads from memory. On the heap the state is in
     * memory already: no gain showed there, for the mirror's memory and its probe before every stored
     * key's read.
     */
    static TileKeysMirror ofSubtask(boolean onRocksDb, Logger log) {
        if (!onRocksDb) {
            return null;
        }
        log.info("Reviewer features: stored tile keys mirrored in memory (at most {})", MAX_MIRRORED_TILE_KEYS);
        return new TileKeysMirror(MAX_MIRRORED_TILE_KEYS);
    }

    /** The tile groups mirrored: those whose keys include a path, a prefix or a pair, mostly absent when read. */
    static boolean mirrors(TileGroup group) {
        return group != TileGroup.USER;
    }

    private final long maxKeys;
    /** Per project, a set per tile group (null: not mirrored); in access order, least recently used first. */
    private final LinkedHashMap<Long, LongOpenHashSet[]> byProject = new LinkedHashMap<>(16, 0.75f, true);
    /** Project groups too large to mirror. */
    private final Set<ProjectGroup> tooLarge = new HashSet<>();

    private long keys;

    TileKeysMirror(long maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** The most keys one project group may have to be mirrored. */
    long maxKeys() {
        return maxKeys;
    }

    /** The stored keys of the project's group (null when not mirrored); the caller must not change the set. */
    LongOpenHashSet keys(long project, TileGroup group) {
        LongOpenHashSet[] groups = byProject.get(project);
        return groups == null ? null : groups[group.ordinal()];
    }

    /** Whether the project's group was found too large to mirror. */
    boolean tooLarge(long project, TileGroup group) {
        return tooLarge.contains(new ProjectGroup(project, group));
    }

    /** Mirrors the keys of the project's group (read from its state), evicting other projects over the bound. */
    void mirror(long project, TileGroup group, LongOpenHashSet stored) {
        LongOpenHashSet[] groups =
                byProject.computeIfAbsent(project, p -> new LongOpenHashSet[TileGroup.values().length]);
        LongOpenHashSet old = groups[group.ordinal()];
        keys += stored.size() - (old == null ? 0 : old.size());
        groups[group.ordinal()] = stored;
        evictOthers(project);
    }

    /** Records that the project's group has more than {@link #maxKeys} keys: it is not mirrored. */
    void markTooLarge(long project, TileGroup group) {
        tooLarge.add(new ProjectGroup(project, group));
    }

    /** Follows a put of a tile key of the project's group. */
    void added(long project, TileGroup group, long key) {
        LongOpenHashSet set = keys(project, group);
        if (set != null && set.add(key)) {
            keys++;
            if (set.size() > maxKeys) {
                forget(project);
                markTooLarge(project, group);
            } else {
                evictOthers(project);
            }
        }
    }

    /** Follows the removal of a tile key of the project's group. */
    void removed(long project, TileGroup group, long key) {
        LongOpenHashSet set = keys(project, group);
        if (set != null && set.remove(key)) {
            keys--;
        }
    }

    /** Drops the project's sets, and any too-large marks (its tiles were cleared: they may fit again). */
    void clear(long project) {
        forget(project);
        for (TileGroup group : TileGroup.values()) {
            tooLarge.remove(new ProjectGroup(project, group));
        }
    }

    /** The number of keys mirrored over all projects. */
    long size() {
        return keys;
    }

    private void forget(long project) {
        LongOpenHashSet[] groups = byProject.remove(project);
        if (groups != null) {
            keys -= size(groups);
        }
    }

    private void evictOthers(long keep) {
        for (Iterator<Map.Entry<Long, LongOpenHashSet[]>> it =
                        byProject.entrySet().iterator();
                keys > maxKeys && it.hasNext(); ) {
            Map.Entry<Long, LongOpenHashSet[]> eldest = it.next();
            if (eldest.getKey() != keep) {
                keys -= size(eldest.getValue());
                it.remove();
            }
        }
    }

    /** The keys of one project's mirrored groups. */
    private static long size(LongOpenHashSet[] groups) {
        long size = 0;
        for (LongOpenHashSet set : groups) {
            size += set == null ? 0 : set.size();
        }
        return size;
    }

    private record ProjectGroup(long project, TileGroup group) {}
}
