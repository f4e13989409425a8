package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineStoreException;
import java.net.ConnectException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

/** The one line a failed run ends with: the project's own message under Flink's wrappers, else the root cause. */
class FailureReasonTest {

    private static final String MESSAGE =
            "cannot connect to Redis at redis://127.0.0.1:1/0 for online table t: refused";

    @Test
    void theProjectsOwnMessageUnderFlinksWrappers() {
        Exception failure = new JobExecutionException(
                new JobID(),
                "Job execution failed.",
                new JobException(
                        "Recovery is suppressed by NoRestartBackoffTimeStrategy",
                        new SuppressRestartsException(
                                new OnlineStoreException(MESSAGE, new ConnectException("refused")))));
        assertThat(EventstreamCli.reason(failure)).isEqualTo(MESSAGE);
    }

    @Test
    void aCauseFlinkCouldNotDeserializeIsFoundByItsOriginalClass() {
        Exception failure = new JobExecutionException(
                new JobID(), "Job execution failed.", new SerializedThrowable(new OnlineStoreException(MESSAGE)));
        assertThat(EventstreamCli.reason(failure)).isEqualTo(MESSAGE);
    }

    @Test
    void otherwiseTheRootCause() {
        Exception failure = new JobExecutionException(
                new JobID(),
                "Job execution failed.",
                new RuntimeException("wrapper", new ConnectException("Connection refused")));
        assertThat(EventstreamCli.reason(failure)).isEqualTo("ConnectException: Connection refused");
    }
}
