package io.eventstream.features.events;

import java.util.List;

/**
 * One commit of a push. Author names, emails and messages are dropped on purpose: features use the
 * pushing user and the paths.
 *
 * @param sha        commit id
 * @param timestamp  commit time, epoch millis UTC; null when absent
 * @param added      paths added
 * @param modified   paths modified
 * @param removed    paths removed
 */
public record CommitData(String sha, Long timestamp, List<String> added, List<String> modified, List<String> removed) {}
