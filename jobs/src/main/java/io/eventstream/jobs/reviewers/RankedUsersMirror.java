package io.eventstream.jobs.reviewers;

import io.eventstream.features.reviewers.ReviewerState.UserRecord;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user records, in memory, of the projects a subtask ranked candidates for recently:
 * what {@link MapStateReviewerState#usersToRank} serves, so that ranking (every user of the project,
 * on every emission) does not iterate and deserialize the users {@code MapState} each time (on
 * RocksDB, the keyed task's main cost for a busy project). It is a cache, not state: not
 * checkpointed, so a restored or rescaled subtask starts without it, and a project missing from it
 * (never ranked on this subtask, evicted, or dropped after a change it does not follow) is rebuilt
 * from the users {@code MapState} at its next ranking. It holds at most {@link #maxUsers} records
 * over all projects (the projects least recently ranked or changed are evicted first), so state
 * larger than memory stays possible.
 */
final class RankedUsersMirror {
    private final long maxUsers;
    /** Per project, its user records; in access order, least recently ranked or changed first. */
    private final LinkedHashMap<Long, Map<Long, UserRecord>> byProject = new LinkedHashMap<>(16, 0.75f, true);

    private long users;

    RankedUsersMirror(long maxUsers) {
        this.maxUsers = maxUsers;
    }

    /** The project's records (null when not mirrored); the caller must not change the map. */
    Map<Long, UserRecord> users(long project) {
        return byProject.get(project);
    }

    /** Mirrors the project's records (read from its state), evicting other projects over the bound. */
    void mirror(long project, Map<Long, UserRecord> records) {
        forget(project);
        byProject.put(project, records);
        users += records.size();
        evictOthers(project);
    }

    /** Follows a put of a user record of the project (a copy: the caller may change its object later). */
    void putUser(long project, long userId, UserRecord record) {
        Map<Long, UserRecord> records = byProject.get(project);
        if (records != null && records.put(userId, record.copy()) == null) {
            users++;
            evictOthers(project);
        }
    }

    /** Follows the removal of a user record of the project. */
    void removeUser(long project, long userId) {
        Map<Long, UserRecord> records = byProject.get(project);
        if (records != null && records.remove(userId) != null) {
            users--;
        }
    }

    /** Drops the project's records (its state was cleared, or changed in a way not followed). */
    void forget(long project) {
        Map<Long, UserRecord> records = byProject.remove(project);
        if (records != null) {
            users -= records.size();
        }
    }

    /** The number of records mirrored over all projects. */
    long size() {
        return users;
    }

    private void evictOthers(long keep) {
        for (Iterator<Map.Entry<Long, Map<Long, UserRecord>>> it =
                        byProject.entrySet().iterator();
                users > maxUsers && it.hasNext(); ) {
            Map.Entry<Long, Map<Long, UserRecord>> eldest = it.next();
            if (eldest.getKey() != keep) {
                users -= eldest.getValue().size();
                it.remove();
            }
        }
    }
}
