package io.eventstream.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.serving.ConsistencyReport;
import io.eventstream.serving.ParquetServedLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventstream consistency}: online/offline consistency of what {@code serve} answered
 * ({@link ConsistencyReport}): the mismatch rate per feature between the served values and the
 * values recomputed point in time from the events, with examples.
 */
@Command(
        name = "consistency",
        mixinStandardHelpOptions = true,
        description = {
            "Compares the spam answers logged by ./eventstream serve --served-log DIR with the values the offline "
                    + "pipeline computes from the events for the same user and request time (point in time, the job's "
                    + "engine), and prints the mismatch rate per feature with examples (docs/online-tables.md).",
            "Exit codes: 0 (also with mismatches: they are the finding), 2 bad options, config or input."
        })
public final class ConsistencyCommand implements Callable<Integer> {

    @Option(names = "--served-log", required = true, paramLabel = "DIR", description = "The served log directory.")
    Path servedLog;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "The events (structured CloudEvents JSON lines, as ./eventstream generate writes them).")
    Path input;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The spam job config the server ran with. Default: built-in defaults.")
    Path config;

    @Option(
            names = "--examples",
            paramLabel = "N",
            defaultValue = "3",
            description = "Differing examples printed per feature. Default: ${DEFAULT-VALUE}.")
    int examples;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SpamJobConfig jobConfig;
        byte[] hashKey;
        try {
            jobConfig = config == null ? SpamJobConfig.defaults() : SpamJobConfig.load(config);
            hashKey = jobConfig.resolveHashKey(System.getenv());
        } catch (ConfigException e) {
            err.println("consistency: bad config: " + e.getMessage());
            return 2;
        }
        ConsistencyReport result;
        try {
            List<Object[]> served = ParquetServedLog.readAll(servedLog);
            SpamInputs reduce = new SpamInputs(jobConfig, hashKey);
            CloudEventJson json = new CloudEventJson();
            List<SpamInput> inputs = new ArrayList<>();
            long invalid = 0;
            try (BufferedReader lines = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Decoded<CloudEvent> event = json.read(line.getBytes(StandardCharsets.UTF_8));
                    if (!event.isOk()) {
                        invalid++;
                        continue;
                    }
                    SpamInput spamInput = reduce.from(event.value());
                    if (spamInput != null) {
                        inputs.add(spamInput);
                    }
                }
            }
            if (invalid > 0) {
                err.println("consistency: " + invalid + " invalid events skipped (as the job dead-letters them)");
            }
            result = ConsistencyReport.spam(served, inputs, new SpamFeatureSet(jobConfig), examples);
        } catch (IOException | RuntimeException e) {
            err.println("consistency: " + e.getMessage());
            return 2;
        }
        print(result, out);
        if (report != null) {
            try {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), result);
            } catch (IOException e) {
                err.println("consistency: cannot write " + report + ": " + e.getMessage());
                return 2;
            }
        }
        out.flush();
        return 0;
    }

    static void print(ConsistencyReport report, PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "served answers: %,d; compared: %,d; skipped: %s%n",
                report.requests(),
                report.compared(),
                report.skipped().isEmpty() ? "none" : report.skipped());
        out.printf(Locale.ROOT, "%-40s %10s %10s %9s%n", "feature", "compared", "mismatch", "rate");
        for (ConsistencyReport.Feature f : report.features()) {
            out.printf(
                    Locale.ROOT,
                    "%-40s %,10d %,10d %8.2f%%%n",
                    f.name(),
                    f.compared(),
                    f.mismatches(),
                    100 * f.mismatchRate());
        }
        for (ConsistencyReport.Feature f : report.features()) {
            for (ConsistencyReport.Example e : f.examples()) {
                out.printf(
                        Locale.ROOT,
                        "  %s: user %s at %s served %s, offline %s%n",
                        f.name(),
                        e.entity(),
                        Instant.ofEpochMilli(e.requestTime()),
                        e.online(),
                        e.offline());
            }
        }
    }
}
