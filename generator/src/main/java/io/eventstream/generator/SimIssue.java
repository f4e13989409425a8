package io.eventstream.generator;

/** An open issue the generator still remembers. */
record SimIssue(long id, long iid, long authorId, String title) {}
