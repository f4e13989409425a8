package io.eventstream.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts an S3 API server ({@link S3Server}) and an HDFS ({@link HdfsServer}) once per test JVM and
 * makes Flink's {@code s3://} and {@code hdfs://} filesystems reach them. Register it after
 * {@code FlinkTestCluster}.
 *
 * <p>How {@code s3://} is loaded: as on a cluster, from a plugins directory
 * ({@code target/flink-plugins/s3-fs-hadoop/flink-s3-fs-hadoop-2.2.0.jar}, copied there by the
 * build) through Flink's plugin manager, which gives the jar a class loader of its own. Flink 2.2
 * also loads filesystem factories from the classpath, but this jar bundles an old unrelocated
 * Guava that breaks s3proxy's (and would break any other library's) on a shared classpath: the
 * plugin class loader is what keeps it apart. A MiniCluster starts no plugin manager itself, so
 * {@link FileSystem#initialize} is called here with one and with the {@code s3.*} options a
 * cluster has in its Flink configuration; the MiniCluster's TaskManager runs in this JVM and
 * shares that static filesystem registry.
 */
public final class SharedStorage implements BeforeAllCallback {
    static final String BUCKET = "eventstream-test";

    private static S3Server s3;
    private static HdfsServer hdfs;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedStorage.class, key -> start(), Running.class);
    }

    /** A fresh root on the S3 server, e.g. {@code s3://eventstream-test/<name>}. */
    static String s3Root(String name) {
        return "s3://" + BUCKET + "/" + name;
    }

    /** A fresh root on the HDFS, e.g. {@code hdfs://127.0.0.1:port/<name>}. */
    static String hdfsRoot(String name) {
        return hdfs.uri() + "/" + name;
    }

    static S3Server s3() {
        return s3;
    }

    static HdfsServer hdfs() {
        return hdfs;
    }

    /**
     * S3A options for s3proxy, the same the docs give for S3-compatible servers: keep directory
     * markers (S3A otherwise deletes the parents' markers after every write, one bulk
     * DeleteObjects each; s3proxy 2.6 never answers that request, so every write waited for the
     * socket timeout) and delete one object at a time.
     */
    static final Configuration S3A_OPTIONS = Configuration.fromMap(java.util.Map.of(
            "s3.directory.marker.retention", "keep",
            "s3.multiobjectdelete.enable", "false"));

    /** The Flink options that point {@code s3://} at the test server (a cluster sets the same keys). */
    static Configuration s3Options(S3Server server) {
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", server.endpoint().toString());
        conf.setString("s3.endpoint.region", S3Server.REGION);
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", S3Server.ACCESS_KEY);
        conf.setString("s3.secret-key", S3Server.SECRET_KEY);
        conf.addAll(S3A_OPTIONS);
        return conf;
    }

    /** Copies a directory tree of any Flink filesystem to the local disk, for local readers (DuckDB). */
    static void copyToLocal(org.apache.flink.core.fs.Path from, Path to) throws IOException {
        FileSystem fs = from.getFileSystem();
        Files.createDirectories(to);
        for (FileStatus child : fs.listStatus(from)) {
            Path target = to.resolve(child.getPath().getName());
            if (child.isDir()) {
                copyToLocal(child.getPath(), target);
            } else {
                try (InputStream in = fs.open(child.getPath())) {
                    Files.copy(in, target);
                }
            }
        }
    }

    private static Running start() {
        try {
            Path dir = Files.createTempDirectory("eventstream-shared-storage");
            s3 = S3Server.start(dir.resolve("s3"));
            s3.createBucket(BUCKET);
            hdfs = HdfsServer.start(dir.resolve("hdfs"));
            Configuration options = s3Options(s3);
            Path plugins = Path.of(System.getProperty("eventstream.flink.plugins", "target/flink-plugins"));
            FileSystem.initialize(
                    options,
                    new DefaultPluginManager(
                            new DirectoryBasedPluginFinder(plugins).findPlugins(),
                            CoreOptions.getPluginParentFirstLoaderPatterns(options)));
            return new Running();
        } catch (Exception e) {
            throw new IllegalStateException("the storage servers did not start", e);
        }
    }

    /** Stops both servers when JUnit closes the root store (end of the run). */
    private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws Exception {
            FileSystem.initialize(new Configuration(), null);
            try {
                s3.close();
            } finally {
                hdfs.close();
            }
        }
    }
}
