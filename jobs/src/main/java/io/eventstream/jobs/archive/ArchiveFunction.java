package io.eventstream.jobs.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.jobs.common.DecodingFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes each record like the feature jobs (invalid ones become dead letters with their reason)
 * and turns every valid event into its archive row, with the Kafka position it was read at.
 */
final class ArchiveFunction extends DecodingFunction<Row> {
    private static final long serialVersionUID = 1L;

    private transient ObjectMapper mapper;
    /** Origin of the record being decoded: the decoder hands on the event, not the record. */
    private transient String origin;

    ArchiveFunction(int maxEventBytes, OutputTag<DeadLetter> deadLetters) {
        super(maxEventBytes, deadLetters);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        mapper = CloudEventJson.newMapper();
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<Row> out) throws Exception {
        origin = raw.origin;
        super.processElement(raw, ctx, out);
    }

    @Override
    protected void onEvent(CloudEvent event, Context ctx, Collector<Row> out) {
        out.collect(Row.of(EventArchive.toRow(event, origin, mapper)));
    }
}
