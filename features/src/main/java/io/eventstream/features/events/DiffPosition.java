package io.eventstream.features.events;

/** Where a diff note sits: the file and line on each side of the diff. */
public record DiffPosition(
        String oldPath,
        String newPath,
        Integer oldLine,
        Integer newLine,
        String baseSha,
        String headSha,
        String startSha) {}
