package io.eventstream.storage;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for the tests: Hadoop's {@link MiniDFSCluster} (one NameNode, one DataNode, RPC,
 * data transfer and the WebHDFS REST API over 127.0.0.1) in the test JVM, storing its blocks under
 * a temporary directory.
 */
final class HdfsServer implements AutoCloseable {
    private final MiniDFSCluster cluster;

    private HdfsServer(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    static HdfsServer start(Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toAbsolutePath().toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, dir.toFile())
                .numDataNodes(1)
                .nameNodePort(0)
                .build();
        cluster.waitActive();
        return new HdfsServer(cluster);
    }

    /** {@code hdfs://127.0.0.1:<port>}. */
    String uri() {
        return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    /** The same path as a WebHDFS URI ({@code webhdfs://} and the NameNode's HTTP port), as Python reads it. */
    String webHdfs(String hdfsUri) {
        if (!hdfsUri.startsWith(uri())) {
            throw new IllegalArgumentException(hdfsUri + " is not on " + uri());
        }
        return "webhdfs://127.0.0.1:" + cluster.getNameNode().getHttpAddress().getPort()
                + hdfsUri.substring(uri().length());
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
