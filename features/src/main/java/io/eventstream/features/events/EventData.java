package io.eventstream.features.events;

/**
 * The normalized, typed {@code data} of a canonical event. One record type per family of event
 * types (see {@link EventType#dataClass()}); every implementation is a plain Jackson-bindable record.
 */
public sealed interface EventData
        permits UserData,
                MemberData,
                ProjectData,
                IssueData,
                NoteData,
                MergeRequestData,
                PushData,
                EmojiData,
                SpamVerdictData,
                AbuseReportData,
                GenericData {}
