package io.eventstream.features.spam;

import io.eventstream.features.windows.DistinctIds;
import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.TiledCounts;
import io.eventstream.features.windows.TiledKeyCounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything one user's spam features need, in one value: profile (sign-up time, email domain
 * class and hash), project memberships, the time of the last content event and of the last event of
 * any kind, and all window tiles.
 *
 * <p>Serializes itself ({@link #write}/{@link #read}, self-describing, versioned) so Flink never
 * falls back to Kryo; the lead wraps these in a {@code TypeSerializer}. The tile layout is created
 * by {@link SpamFeatureEngine} on first use; a state restored under a different window
 * configuration keeps its profile and memberships and restarts its tiles empty.
 */
public final class SpamUserState {
    static final long NONE = Long.MIN_VALUE;
    private static final int FORMAT_VERSION = 1;

    /** The engine layout the tiles were built for; 0 before the first event. */
    long layout;

    long signupTime = NONE;
    EmailDomainClass domainClass = EmailDomainClass.UNKNOWN;
    String domainHash;
    final SortedLongSet memberProjects;
    long lastActivityTime = NONE;
    long lastContentTime = NONE;
    TiledCounts[] counts = new TiledCounts[0];
    DistinctIds projects;
    TiledKeyCounts[] texts = new TiledKeyCounts[0];

    /** An empty state (what a user without events has). */
    public SpamUserState() {
        this(new SortedLongSet());
    }

    private SpamUserState(SortedLongSet memberProjects) {
        this.memberProjects = memberProjects;
    }

    /** Time of the latest event applied to this state, or {@link Long#MIN_VALUE} when none. */
    public long lastActivityMillis() {
        return lastActivityTime;
    }

    /** Whether no event was applied since creation or the last clear. */
    public boolean isEmpty() {
        return lastActivityTime == NONE;
    }

    /** Forgets everything (what a TTL expiry does). */
    void clear() {
        layout = 0;
        signupTime = NONE;
        domainClass = EmailDomainClass.UNKNOWN;
        domainHash = null;
        memberProjects.clear();
        lastActivityTime = NONE;
        lastContentTime = NONE;
        counts = new TiledCounts[0];
        projects = null;
        texts = new TiledKeyCounts[0];
    }

    /** A deep copy: nothing mutable is shared. */
    public SpamUserState copy() {
        SpamUserState copy = new SpamUserState(memberProjects.copy());
        copy.layout = layout;
        copy.signupTime = signupTime;
        copy.domainClass = domainClass;
        copy.domainHash = domainHash;
        copy.lastActivityTime = lastActivityTime;
        copy.lastContentTime = lastContentTime;
        copy.counts = new TiledCounts[counts.length];
        for (int i = 0; i < counts.length; i++) {
            copy.counts[i] = counts[i].copy();
        }
        copy.projects = projects == null ? null : projects.copy();
        copy.texts = new TiledKeyCounts[texts.length];
        for (int i = 0; i < texts.length; i++) {
            copy.texts[i] = texts[i].copy();
        }
        return copy;
    }

    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(layout);
        out.writeLong(signupTime);
        out.writeByte(domainClass.ordinal());
        out.writeBoolean(domainHash != null);
        if (domainHash != null) {
            out.writeUTF(domainHash);
        }
        memberProjects.write(out);
        out.writeLong(lastActivityTime);
        out.writeLong(lastContentTime);
        out.writeShort(counts.length);
        for (TiledCounts c : counts) {
            c.write(out);
        }
        out.writeBoolean(projects != null);
        if (projects != null) {
            projects.write(out);
        }
        out.writeShort(texts.length);
        for (TiledKeyCounts t : texts) {
            t.write(out);
        }
    }

    /** {@link #write} into a byte array: the {@code state} of the online table {@code spam_user_state}. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try {
            write(new DataOutputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /** {@link #read} of a whole byte array; an {@link IOException} when it is corrupt or has bytes left over. */
    public static SpamUserState fromBytes(byte[] bytes) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        SpamUserState state;
        try {
            state = read(new DataInputStream(in));
        } catch (EOFException e) {
            throw new IOException("truncated SpamUserState", e);
        }
        if (in.available() > 0) {
            throw new IOException("corrupt SpamUserState: " + in.available() + " bytes after the end");
        }
        return state;
    }

    public static SpamUserState read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown SpamUserState format version " + version);
        }
        long layout = in.readLong();
        long signup = in.readLong();
        int domainClass = in.readUnsignedByte();
        if (domainClass >= EmailDomainClass.values().length) {
            throw new IOException("corrupt SpamUserState: domain class " + domainClass);
        }
        String domainHash = in.readBoolean() ? in.readUTF() : null;
        SpamUserState state = new SpamUserState(SortedLongSet.read(in));
        state.layout = layout;
        state.signupTime = signup;
        state.domainClass = EmailDomainClass.values()[domainClass];
        state.domainHash = domainHash;
        state.lastActivityTime = in.readLong();
        state.lastContentTime = in.readLong();
        state.counts = new TiledCounts[in.readUnsignedShort()];
        for (int i = 0; i < state.counts.length; i++) {
            state.counts[i] = TiledCounts.read(in);
        }
        state.projects = in.readBoolean() ? DistinctIds.read(in) : null;
        state.texts = new TiledKeyCounts[in.readUnsignedShort()];
        for (int i = 0; i < state.texts.length; i++) {
            state.texts[i] = TiledKeyCounts.read(in);
        }
        return state;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpamUserState other)) {
            return false;
        }
        return layout == other.layout
                && signupTime == other.signupTime
                && domainClass == other.domainClass
                && Objects.equals(domainHash, other.domainHash)
                && memberProjects.equals(other.memberProjects)
                && lastActivityTime == other.lastActivityTime
                && lastContentTime == other.lastContentTime
                && Arrays.equals(counts, other.counts)
                && Objects.equals(projects, other.projects)
                && Arrays.equals(texts, other.texts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout, signupTime, lastActivityTime, lastContentTime, memberProjects);
    }

    @Override
    public String toString() {
        return "SpamUserState{lastActivity=" + lastActivityTime + ", members=" + memberProjects.size() + ", counts="
                + Arrays.toString(counts) + ", projects=" + projects + ", texts=" + Arrays.toString(texts) + "}";
    }
}
