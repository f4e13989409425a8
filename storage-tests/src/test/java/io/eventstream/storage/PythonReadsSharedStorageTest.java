package io.eventstream.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobRun;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Python package reads the spam job's datasets from the S3 server and from HDFS: the job writes
 * them at parallelism 2, then {@code notebooks/tests/test_datasets_remote.py} runs with the root on
 * the server ({@code s3://} with the endpoint and credentials in the {@code AWS_*} variables;
 * {@code webhdfs://} for HDFS, the NameNode's HTTP server, which needs no libhdfs) and compares what
 * it reads with a local copy, whose rows the Java side first compares with the local-disk
 * command-line run's. Needs the notebooks' Python ({@code -Deventstream.python=notebooks/.venv/bin/python}):
 * {@code ./run-tests} runs it after creating that venv; without it the test is skipped with that
 * message. The stream is {@link SmallEvents#SPAM} (48 hour partitions), the same as
 * {@link JobsOnSharedStorageTest}'s.
 */
@ExtendWith({FlinkTestCluster.class, SharedStorage.class})
@EnabledIfSystemProperty(
        named = "eventstream.python",
        matches = ".+",
        disabledReason = "no Python given:"
                + " -Deventstream.python=<notebooks venv>/bin/python runs it (./run-tests passes it)")
class PythonReadsSharedStorageTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3", "hdfs"})
    void thePythonPackageReadsTheJobsDatasetsFromTheServer(String filesystem, @TempDir Path out) throws Exception {
        String root = JobsOnSharedStorageTest.root(filesystem, "python");
        Map<String, org.apache.flink.core.fs.Path> remote = new LinkedHashMap<>();
        JobUnderTest.Job<SpamJobRun> job = JobsOnSharedStorageTest.spamOnRoot(root, remote);
        JobUnderTest.files(job, SmallEvents.SPAM.file()).parallelism(2).run(out);
        Path copy = out.resolve("local-copy");
        SharedStorage.copyToLocal(new org.apache.flink.core.fs.Path(root), copy);
        // What Python compares with is the Java side's: the local-disk command-line run's rows.
        Map<String, Path> copiedVersions = new LinkedHashMap<>();
        SpamTestData.JOB
                .datasets()
                .forEach(dataset ->
                        copiedVersions.put(dataset, copy.resolve(dataset).resolve("v1")));
        SpamJobRun copied = new SpamJobRun(new JobRun(copy, copiedVersions, null, null));
        SpamJobRun local = SmallEvents.spamLocalRun();
        RowSets.assertSameRows(
                "spam_features on " + filesystem,
                SpamTestData.FEATURE_SET.featureSchema(),
                "event_id",
                local.features(),
                copied.features());
        RowSets.assertSameRows(
                "spam_labels on " + filesystem, SpamLabels.SCHEMA, "label_event_id", local.labels(), copied.labels());

        boolean s3 = filesystem.equals("s3");
        Path notebooks = repositoryRoot().resolve("notebooks");
        ProcessBuilder pytest = new ProcessBuilder(
                        System.getProperty("eventstream.python"),
                        "-m",
                        "pytest",
                        "-q",
                        "-p",
                        "no:cacheprovider",
                        // Each server's own snippets: the others are deselected, not skipped.
                        "-k",
                        s3 ? "not webhdfs" : "not s3",
                        "tests/test_datasets_remote.py")
                .directory(notebooks.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pytest.environment();
        if (s3) {
            env.put("AWS_ENDPOINT_URL", SharedStorage.s3().endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
            env.put("AWS_REGION", S3Server.REGION);
        }
        env.put("EVENTSTREAM_TEST_REMOTE_ROOT", s3 ? root : SharedStorage.hdfs().webHdfs(root));
        env.put("EVENTSTREAM_TEST_LOCAL_COPY", copy.toString());
        Process process = pytest.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("pytest ended").isTrue();
        System.out.println(output);
        assertThat(process.exitValue()).as("pytest exit status").isZero();
        assertThat(output)
                .as("every test ran (none skipped)")
                .contains(s3 ? "6 passed" : "5 passed")
                .doesNotContain("skipped");
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null
                && !dir.resolve("notebooks/eventstream_features").toFile().isDirectory()) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no notebooks/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
