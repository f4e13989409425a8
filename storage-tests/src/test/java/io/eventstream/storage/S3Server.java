package io.eventstream.storage;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API server for the tests: s3proxy on 127.0.0.1 over jclouds' filesystem blob store (a
 * temporary directory), with AWS signature authentication (v2 or v4) and multipart uploads, the
 * API Flink's {@code flink-s3-fs-hadoop} speaks. Not a mock: requests go over HTTP through the
 * same S3A client a cluster uses.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "eventstream-test-access";
    static final String SECRET_KEY = "eventstream-test-secret-0123456789";
    static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /** Starts a server storing its objects under {@code dir}. */
    static S3Server start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials("identity", "credential")
                .overrides(properties)
                .build(BlobStoreContext.class);
        URI endpoint = URI.create("http://127.0.0.1:" + freePort());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // Recent AWS SDKs (pyarrow 26's) ask for response checksums with headers s3proxy
                // does not know; without this it answers 501 to every read.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3Server(proxy, context, endpoint);
    }

    URI endpoint() {
        return endpoint;
    }

    /** Creates a bucket (as an operator would once, before the jobs run). */
    void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
