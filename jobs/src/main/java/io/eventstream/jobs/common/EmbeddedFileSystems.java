package io.eventstream.jobs.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * Lets a job that runs in this process ({@code ./eventstream run ... --out s3://...}) reach
 * {@code s3://} the way a cluster does: the {@code flink-s3-fs-hadoop} plugin from
 * {@code FLINK_PLUGINS_DIR} (the {@code ./eventstream} script points it at
 * {@code jobs/target/flink-plugins}, where the build copies the plugin), the endpoint of an
 * S3-compatible server from {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} (path-style
 * requests), the region from {@code AWS_REGION}. The keys stay in the environment, where S3A's
 * default credential chain reads them. Without {@code FLINK_PLUGINS_DIR} nothing changes: local
 * and {@code hdfs://} roots need no plugin, and under {@code flink run} the cluster's client has
 * initialized its filesystems already.
 */
final class EmbeddedFileSystems {
    private EmbeddedFileSystems() {}

    static void initialize(Map<String, String> environment) {
        String plugins = environment.get("FLINK_PLUGINS_DIR");
        if (plugins == null || !Files.isDirectory(Path.of(plugins))) {
            return;
        }
        Configuration conf = new Configuration();
        String endpoint = environment.getOrDefault("AWS_ENDPOINT_URL_S3", environment.get("AWS_ENDPOINT_URL"));
        if (endpoint != null && !endpoint.isBlank()) {
            conf.setString("s3.endpoint", endpoint);
            conf.setString("s3.path.style.access", "true");
            // For S3-compatible servers: no bulk DeleteObjects after each write (s3proxy never answers it).
            conf.setString("s3.directory.marker.retention", "keep");
            conf.setString("s3.multiobjectdelete.enable", "false");
        }
        String region = environment.getOrDefault("AWS_REGION", environment.get("AWS_DEFAULT_REGION"));
        if (region != null && !region.isBlank()) {
            conf.setString("s3.endpoint.region", region);
        }
        FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));
    }
}
