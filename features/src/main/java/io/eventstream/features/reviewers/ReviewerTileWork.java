package io.eventstream.features.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.reviewers.ReviewerState.TileGroup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one event asks of one user bucket of its project ({@link ReviewerFeatureEngine#applyProject}):
 * the path, prefix and pair tile increments of the bucket's users, the online prefix rows to write for
 * them, and the candidate rows of the bucket's candidates to complete with their path, prefix and
 * pair columns. {@link ReviewerFeatureEngine#applyTiles} applies it to the bucket's state.
 *
 * <p>A flat Flink POJO keyed by {@link #key()}: between the job's two keyed stages everything but the
 * identity travels in {@link #payload} ({@link #seal}), so Flink serializes it without Kryo. Within
 * one process (the plain loop, {@link ReviewerFeatureEngine#apply}) it is never encoded.
 */
public class ReviewerTileWork extends OrderedInput {
    /** The most user buckets a project can have: {@link #key()} multiplies the project id by it. */
    public static final int MAX_BUCKETS = ReviewerJobConfig.MAX_USER_BUCKETS;
    /** Project ids {@link #key()} maps one to one: {@code [0, 2^55)}. */
    public static final long MAX_PROJECT_ID = Long.MAX_VALUE / MAX_BUCKETS;

    /** The tile groups by ordinal, once: {@code values()} copies its array on every call. */
    private static final TileGroup[] GROUPS = TileGroup.values();

    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte INT = 2;
    private static final byte STRING = 3;
    private static final byte BOOLEAN = 4;

    public long projectId;
    public int bucket;
    /** Everything else, encoded by {@link #seal}; null while the work is being built or used in-process. */
    public byte[] payload;

    // The decoded work: built by the engine, or read back from the payload.
    private transient int increments;
    private transient long[] tileKeys;
    private transient byte[] tileGroups;
    private transient byte[] tileMetrics;
    private transient List<Long> prefixUsers;
    private transient List<String> prefixes;
    private transient List<Emission> emissions;
    /** The engine's emission that the last of {@link #emissions} was copied from. */
    private transient Emission lastEmission;

    /** For Flink's POJO serializer. */
    public ReviewerTileWork() {}

    ReviewerTileWork(long projectId, int bucket, String eventId, long timeMillis) {
        this.projectId = projectId;
        this.bucket = bucket;
        this.eventId = eventId;
        this.timeMillis = timeMillis;
        empty();
    }

    /** The key of the bucket's state: one per (project, bucket), for project ids in {@code [0, }{@link #MAX_PROJECT_ID}{@code ]}. */
    @Override
    public long key() {
        return projectId * MAX_BUCKETS + bucket;
    }

    /** Whether {@code projectId} is one the job can key buckets by. */
    public static boolean keyable(long projectId) {
        return projectId >= 0 && projectId <= MAX_PROJECT_ID;
    }

    /**
     * One emission's candidates in this bucket: the merge request's author and hashed paths and
     * prefixes, and per candidate the row with every column but the bucket's tile columns.
     */
    record Emission(long author, long[] pathHashes, long[] prefixHashes, List<Long> candidates, List<Object[]> rows) {}

    private void empty() {
        tileKeys = new long[8];
        tileGroups = new byte[8];
        tileMetrics = new byte[8];
        prefixUsers = new ArrayList<>();
        prefixes = new ArrayList<>();
        emissions = new ArrayList<>();
    }

    void addTile(TileGroup group, long key, int metric) {
        if (increments == tileKeys.length) {
            tileKeys = Arrays.copyOf(tileKeys, increments * 2);
            tileGroups = Arrays.copyOf(tileGroups, increments * 2);
            tileMetrics = Arrays.copyOf(tileMetrics, increments * 2);
        }
        tileKeys[increments] = key;
        tileGroups[increments] = (byte) group.ordinal();
        tileMetrics[increments++] = (byte) metric;
    }

    void addPrefix(long user, String prefix) {
        prefixUsers.add(user);
        prefixes.add(prefix);
    }

    /** Adds a candidate's row to the emission {@code emission} (the same object for one emission). */
    void addCandidate(Emission emission, long candidate, Object[] row) {
        if (lastEmission != emission) {
            lastEmission = emission;
            emissions.add(new Emission(
                    emission.author(),
                    emission.pathHashes(),
                    emission.prefixHashes(),
                    new ArrayList<>(),
                    new ArrayList<>()));
        }
        Emission own = emissions.get(emissions.size() - 1);
        own.candidates().add(candidate);
        own.rows().add(row);
    }

    int increments() {
        decode();
        return increments;
    }

    TileGroup tileGroup(int i) {
        return GROUPS[tileGroups[i]];
    }

    long tileKey(int i) {
        return tileKeys[i];
    }

    int tileMetric(int i) {
        return tileMetrics[i];
    }

    int prefixCount() {
        decode();
        return prefixes.size();
    }

    long prefixUser(int i) {
        return prefixUsers.get(i);
    }

    String prefix(int i) {
        return prefixes.get(i);
    }

    List<Emission> emissions() {
        decode();
        return emissions;
    }

    /** Encodes the work into {@link #payload} for the trip to the bucket's subtask. */
    public ReviewerTileWork seal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + increments * 10);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(increments);
            for (int i = 0; i < increments; i++) {
                out.writeLong(tileKeys[i]);
                out.writeByte(tileGroups[i]);
                out.writeByte(tileMetrics[i]);
            }
            out.writeInt(prefixes.size());
            for (int i = 0; i < prefixes.size(); i++) {
                out.writeLong(prefixUser(i));
                out.writeUTF(prefixes.get(i));
            }
            out.writeInt(emissions.size());
            for (Emission e : emissions) {
                out.writeLong(e.author());
                writeLongs(out, e.pathHashes());
                writeLongs(out, e.prefixHashes());
                out.writeInt(e.rows().size());
                for (int r = 0; r < e.rows().size(); r++) {
                    out.writeLong(e.candidates().get(r));
                    Object[] row = e.rows().get(r);
                    out.writeInt(row.length);
                    for (Object value : row) {
                        writeValue(out, value);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        payload = bytes.toByteArray();
        tileKeys = null;
        return this;
    }

    private void decode() {
        if (tileKeys != null) {
            return;
        }
        empty();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int count = in.readInt();
            tileKeys = new long[Math.max(count, 1)];
            tileGroups = new byte[tileKeys.length];
            tileMetrics = new byte[tileKeys.length];
            for (int i = 0; i < count; i++) {
                tileKeys[i] = in.readLong();
                tileGroups[i] = in.readByte();
                tileMetrics[i] = in.readByte();
            }
            increments = count;
            int prefixCount = in.readInt();
            for (int i = 0; i < prefixCount; i++) {
                long user = in.readLong();
                addPrefix(user, in.readUTF());
            }
            int emissionCount = in.readInt();
            for (int e = 0; e < emissionCount; e++) {
                Emission emission =
                        new Emission(in.readLong(), readLongs(in), readLongs(in), new ArrayList<>(), new ArrayList<>());
                int rows = in.readInt();
                for (int r = 0; r < rows; r++) {
                    emission.candidates().add(in.readLong());
                    Object[] row = new Object[in.readInt()];
                    for (int c = 0; c < row.length; c++) {
                        row[c] = readValue(in);
                    }
                    emission.rows().add(row);
                }
                emissions.add(emission);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long value : values) {
            out.writeLong(value);
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        long[] values = new long[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    /** A candidate row's value: the column types of {@link ReviewerFeatureSet#candidateSchema()}. */
    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            out.writeUTF(s);
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("no encoding for a candidate value of " + value.getClass());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case NULL -> null;
            case LONG -> in.readLong();
            case INT -> in.readInt();
            case STRING -> in.readUTF();
            case BOOLEAN -> in.readBoolean();
            default -> throw new IOException("unknown value type " + type);
        };
    }
}
