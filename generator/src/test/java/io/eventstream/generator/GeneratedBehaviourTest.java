package io.eventstream.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.ProjectData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.UserData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the simulated behaviour by replaying the generated events independently (in {@code (time, id)}
 * order, as the jobs do) and comparing with the generator's ground truth. Sizes are small enough to
 * reason about by hand: 120 users of which round(120 * 0.05) = 6 spammers, round(6 * 0.3) = 2 of them
 * with accounts older than the stream; of the 114 normal users round(114 * 0.5) = 57 exist before the
 * start, so 120 - 57 - 2 = 61 sign up; 6 projects.
 */
class GeneratedBehaviourTest {
    private static final GeneratorConfig CONFIG = GeneratorConfig.of(3, 120, 6, 14);
    /** A link to any host but the instance's. */
    private static final Pattern EXTERNAL_LINK = Pattern.compile("https?://(?!gitlab\\.example\\.com\\b)");

    private static List<CloudEvent> emitted;
    private static List<CloudEvent> byTime;
    private static RecordingTruthSink truth;
    /** Rates of a few percent need more users than the main run has: 600 users, 30 spammers. */
    private static final GeneratorConfig LARGE = GeneratorConfig.of(5, 600, 10, 14);

    private static List<CloudEvent> largeByTime;
    private static RecordingTruthSink largeTruth;

    @BeforeAll
    static void generate() {
        truth = new RecordingTruthSink();
        emitted = new ArrayList<>();
        new SyntheticEventGenerator(CONFIG, truth).generate(emitted::add);
        byTime = new ArrayList<>(emitted);
        byTime.sort(Comparator.comparing(CloudEvent::time).thenComparing(CloudEvent::id));
        largeTruth = new RecordingTruthSink();
        largeByTime = new ArrayList<>();
        new SyntheticEventGenerator(LARGE, largeTruth).generate(largeByTime::add);
        largeByTime.sort(Comparator.comparing(CloudEvent::time).thenComparing(CloudEvent::id));
    }

    private static List<CloudEvent> ofType(EventType type) {
        return byTime.stream().filter(e -> e.type() == type).toList();
    }

    @Test
    void populationMatchesTheConfig() {
        assertThat(ofType(EventType.PROJECT_CREATED)).hasSize(6);
        assertThat(ofType(EventType.PROJECT_CREATED).stream()
                        .map(e -> e.dataAs(ProjectData.class).projectId())
                        .distinct())
                .hasSize(6);
        assertThat(ofType(EventType.USER_CREATED)).hasSize(61);
        assertThat(truth.spammers).hasSize(6);
        Map<Long, CloudEvent> signUps = ofType(EventType.USER_CREATED).stream()
                .collect(Collectors.toMap(e -> e.dataAs(UserData.class).userId(), e -> e));
        int aged = 0;
        for (SpammerTruth spammer : truth.spammers) {
            if (spammer.signedUpAt().isBefore(CONFIG.start())) {
                // An old account turned spammer: the stream never saw it sign up.
                assertThat(signUps).doesNotContainKey(spammer.userId());
                aged++;
            } else {
                assertThat(signUps.get(spammer.userId()).time()).isEqualTo(spammer.signedUpAt());
            }
        }
        assertThat(aged).isEqualTo(2);
        // Sign-up ids grow with sign-up time, as GitLab's do.
        List<Long> ids = ofType(EventType.USER_CREATED).stream()
                .map(e -> e.dataAs(UserData.class).userId())
                .toList();
        assertThat(ids).isSorted();
    }

    @Test
    void reviewersAreMembersNeverTheAuthorAndMatchTheTruth() {
        Map<Long, Map<Long, Integer>> access = new HashMap<>();
        Map<String, List<Long>> reviewersByMergeRequest = new HashMap<>();
        Map<String, ReviewerAssignmentTruth> truthByEvent =
                truth.assignments.stream().collect(Collectors.toMap(ReviewerAssignmentTruth::eventId, t -> t));
        int checked = 0;
        int approvalsChecked = 0;
        for (CloudEvent event : byTime) {
            switch (event.type()) {
                case MEMBER_ADDED, MEMBER_UPDATED -> {
                    MemberData member = event.dataAs(MemberData.class);
                    access.computeIfAbsent(member.projectId(), p -> new HashMap<>())
                            .put(member.userId(), member.accessLevel());
                }
                case MEMBER_REMOVED -> {
                    MemberData member = event.dataAs(MemberData.class);
                    access.get(member.projectId()).remove(member.userId());
                }
                case MERGE_REQUEST_REVIEWERS_CHANGED -> {
                    MergeRequestData mr = event.dataAs(MergeRequestData.class);
                    String key = mr.projectId() + "!" + mr.iid();
                    Map<Long, Integer> members = access.getOrDefault(mr.projectId(), Map.of());
                    for (long reviewer : mr.reviewerIds()) {
                        assertThat(members.get(reviewer))
                                .as("reviewer %d of %s is a developer+ member", reviewer, key)
                                .isNotNull()
                                .isGreaterThanOrEqualTo(30);
                        assertThat(reviewer).as("author of %s", key).isNotEqualTo(mr.authorId());
                    }
                    assertThat(mr.previousReviewerIds())
                            .isEqualTo(reviewersByMergeRequest.getOrDefault(key, List.of()));
                    reviewersByMergeRequest.put(key, mr.reviewerIds());
                    ReviewerAssignmentTruth assignment = truthByEvent.get(event.id());
                    assertThat(assignment).as("truth for %s", event.id()).isNotNull();
                    assertThat(assignment.reviewerIds()).isEqualTo(mr.reviewerIds());
                    Set<Long> added = new LinkedHashSet<>(mr.reviewerIds());
                    added.removeAll(mr.previousReviewerIds());
                    assertThat(assignment.picks().stream()
                                    .map(ReviewerPick::userId)
                                    .toList())
                            .containsExactlyElementsOf(added);
                    checked++;
                }
                case MERGE_REQUEST_APPROVAL -> {
                    MergeRequestData mr = event.dataAs(MergeRequestData.class);
                    assertThat(reviewersByMergeRequest.get(mr.projectId() + "!" + mr.iid()))
                            .contains(mr.actorId());
                    approvalsChecked++;
                }
                default -> {}
            }
        }
        assertThat(checked).isEqualTo(truth.assignments.size()).isGreaterThan(50);
        assertThat(approvalsChecked).isGreaterThan(50);
        // Reviewer choice is mostly expertise, sometimes history, load or noise.
        Map<PickReason, Long> reasons = truth.assignments.stream()
                .flatMap(a -> a.picks().stream())
                .collect(Collectors.groupingBy(ReviewerPick::reason, Collectors.counting()));
        assertThat(reasons.keySet()).contains(PickReason.EXPERTISE, PickReason.RANDOM);
        assertThat(reasons.get(PickReason.EXPERTISE))
                .isGreaterThan(
                        reasons.values().stream().mapToLong(Long::longValue).sum() / 2);
    }

    @Test
    void mergeRequestsComeFromPushedBranchesAndDiffNotesPointAtPushedPaths() {
        Map<String, Set<String>> pathsByBranch = new HashMap<>();
        Map<String, String> branchByMergeRequest = new HashMap<>();
        Map<String, Long> branchCreator = new HashMap<>();
        Set<String> truncatedBranches = new HashSet<>();
        int diffNotes = 0;
        int diffNotesOnUnlistedPaths = 0;
        for (CloudEvent event : byTime) {
            if (event.type() == EventType.PUSH) {
                PushData push = event.dataAs(PushData.class);
                String branch = push.projectId() + ":" + push.branch();
                if (push.created()) {
                    branchCreator.put(branch, push.userId());
                }
                if (push.totalCommitsCount() > push.commits().size()) {
                    truncatedBranches.add(branch);
                }
                Set<String> paths = pathsByBranch.computeIfAbsent(branch, b -> new HashSet<>());
                for (CommitData commit : push.commits()) {
                    paths.addAll(commit.added());
                    paths.addAll(commit.modified());
                    paths.addAll(commit.removed());
                }
            } else if (event.type() == EventType.MERGE_REQUEST_OPENED) {
                MergeRequestData mr = event.dataAs(MergeRequestData.class);
                String branch = mr.projectId() + ":" + mr.sourceBranch();
                assertThat(branchCreator.get(branch))
                        .as("branch %s created by the author before the MR", branch)
                        .isEqualTo(mr.authorId());
                assertThat(mr.targetBranch()).isEqualTo("main");
                branchByMergeRequest.put(mr.projectId() + "!" + mr.iid(), branch);
            } else if (event.type() == EventType.NOTE_CREATED) {
                NoteData note = event.dataAs(NoteData.class);
                if (note.diffPosition() != null) {
                    assertThat(note.noteableType()).isEqualTo(NoteData.MERGE_REQUEST);
                    String branch = branchByMergeRequest.get(note.projectId() + "!" + note.noteableIid());
                    // A push lists at most 20 commits: paths of the others are in the MR's diff but not in the stream.
                    if (!pathsByBranch.get(branch).contains(note.diffPosition().newPath())) {
                        assertThat(truncatedBranches).contains(branch);
                        diffNotesOnUnlistedPaths++;
                    }
                    diffNotes++;
                }
            }
        }
        assertThat(diffNotes).isGreaterThan(50);
        assertThat(diffNotesOnUnlistedPaths).isLessThan(diffNotes / 10);
    }

    @Test
    void pushesLookLikeGitLabs() {
        int truncated = 0;
        for (CloudEvent event : ofType(EventType.PUSH)) {
            PushData push = event.dataAs(PushData.class);
            assertThat(push.commits().size()).isLessThanOrEqualTo(20).isLessThanOrEqualTo(push.totalCommitsCount());
            assertThat(push.ref()).isEqualTo("refs/heads/" + push.branch());
            if (push.created()) {
                assertThat(push.before()).isEqualTo("0".repeat(40));
            }
            if (push.deleted()) {
                assertThat(push.after()).isEqualTo("0".repeat(40));
                assertThat(push.commits()).isEmpty();
            } else {
                assertThat(push.after())
                        .matches("[0-9a-f]{40}")
                        .isEqualTo(push.commits().get(push.commits().size() - 1).sha());
            }
            if (push.totalCommitsCount() > 20) {
                truncated++;
                assertThat(push.commits()).hasSize(20);
            }
            for (CommitData commit : push.commits()) {
                for (List<String> paths : List.of(commit.added(), commit.modified(), commit.removed())) {
                    for (String path : paths) {
                        int depth = path.split("/").length;
                        assertThat(depth).as(path).isBetween(3, 5);
                    }
                }
            }
        }
        assertThat(truncated).isPositive();
    }

    @Test
    void verdictsFollowTheContentTheyJudge() {
        Map<String, Integer> emissionIndex = new HashMap<>();
        for (int i = 0; i < emitted.size(); i++) {
            emissionIndex.put(emitted.get(i).id(), i);
        }
        int verdicts = 0;
        for (int i = 0; i < emitted.size(); i++) {
            CloudEvent event = emitted.get(i);
            if (event.type() != EventType.SPAM_VERDICT) {
                continue;
            }
            SpamVerdictData verdict = event.dataAs(SpamVerdictData.class);
            Integer contentIndex = emissionIndex.get(verdict.targetEventId());
            assertThat(contentIndex)
                    .as("content of verdict %s", event.id())
                    .isNotNull()
                    .isLessThan(i);
            CloudEvent content = emitted.get(contentIndex);
            assertThat(content.time()).isBefore(event.time());
            assertThat(content.subject()).isEqualTo(event.subject());
            assertThat(content.partitionKey()).isEqualTo(Long.toString(verdict.userId()));
            verdicts++;
        }
        assertThat(verdicts).isGreaterThan(10);
    }

    @Test
    void blockedUsersPostNothingAfterTheirBlock() {
        Map<Long, CloudEvent> blocks = ofType(EventType.USER_BLOCKED).stream()
                .collect(Collectors.toMap(e -> e.dataAs(UserData.class).userId(), e -> e));
        Set<Long> spammers = truth.spammers.stream().map(SpammerTruth::userId).collect(Collectors.toSet());
        assertThat(blocks).isNotEmpty();
        assertThat(spammers).containsAll(blocks.keySet());
        for (CloudEvent event : byTime) {
            Long author = contentAuthor(event);
            if (author != null && blocks.containsKey(author)) {
                assertThat(event.time()).isBefore(blocks.get(author).time());
            }
        }
    }

    @Test
    void spammersLinkOutMoreOftenButLinksAloneDoNotSeparateThem() {
        Set<Long> spammers =
                largeTruth.spammers.stream().map(SpammerTruth::userId).collect(Collectors.toSet());
        int spamNotes = 0;
        int spamWithExternalLink = 0;
        int normalNotes = 0;
        int normalWithExternalLink = 0;
        for (CloudEvent event : largeByTime) {
            if (event.type() != EventType.NOTE_CREATED) {
                continue;
            }
            NoteData note = event.dataAs(NoteData.class);
            boolean external = count(EXTERNAL_LINK, note.body()) > 0;
            if (spammers.contains(note.authorId())) {
                spamNotes++;
                spamWithExternalLink += external ? 1 : 0;
            } else {
                normalNotes++;
                normalWithExternalLink += external ? 1 : 0;
            }
        }
        assertThat(spamNotes).isPositive();
        assertThat(normalNotes).isGreaterThan(10 * spamNotes);
        double spamShare = (double) spamWithExternalLink / spamNotes;
        double normalShare = (double) normalWithExternalLink / normalNotes;
        String shares = String.format(
                "spam %d/%d vs normal %d/%d", spamWithExternalLink, spamNotes, normalWithExternalLink, normalNotes);
        // Measured: about 55% of spam notes against 20% of other notes (seed 5).
        assertThat(spamShare).as(shares).isGreaterThan(2 * normalShare);
        // Overlap both ways: spam without links (mentions, contacts, warm-up), people linking documentation.
        assertThat(spamShare).as(shares).isLessThan(0.9);
        assertThat(normalShare).as(shares).isGreaterThan(0.05);
    }

    @Test
    void newcomersPostWithinHoursOfSigningUp() {
        Set<Long> spammers = truth.spammers.stream().map(SpammerTruth::userId).collect(Collectors.toSet());
        Map<Long, Instant> signUps = new HashMap<>();
        Set<Long> earlyPosters = new HashSet<>();
        for (CloudEvent event : byTime) {
            if (event.type() == EventType.USER_CREATED) {
                signUps.put(event.dataAs(UserData.class).userId(), event.time());
            }
            Long author = contentAuthor(event);
            if (author != null
                    && !spammers.contains(author)
                    && signUps.containsKey(author)
                    && event.time().isBefore(signUps.get(author).plus(Duration.ofHours(3)))) {
                earlyPosters.add(author);
            }
        }
        long normalSignUps =
                signUps.keySet().stream().filter(id -> !spammers.contains(id)).count();
        assertThat(earlyPosters.size())
                .as("of %d normal sign-ups", normalSignUps)
                .isGreaterThanOrEqualTo((int) (normalSignUps / 5));
    }

    @Test
    void labelsComeLateSometimesNeverAndSometimesWrong() {
        List<CloudEvent> byTime = largeByTime;
        Set<Long> spammers =
                largeTruth.spammers.stream().map(SpammerTruth::userId).collect(Collectors.toSet());
        Map<String, Instant> contentTime = new HashMap<>();
        Set<Long> spammersWithContent = new HashSet<>();
        List<Duration> delays = new ArrayList<>();
        Set<String> wronglyDisallowed = new HashSet<>();
        int overturned = 0;
        for (CloudEvent event : byTime) {
            Long author = contentAuthor(event);
            if (author != null) {
                contentTime.put(event.id(), event.time());
                if (spammers.contains(author)) {
                    spammersWithContent.add(author);
                }
            } else if (event.type() == EventType.SPAM_VERDICT) {
                SpamVerdictData verdict = event.dataAs(SpamVerdictData.class);
                if (verdict.verdict().isSpam()) {
                    delays.add(Duration.between(contentTime.get(verdict.targetEventId()), event.time()));
                    if (!spammers.contains(verdict.userId())) {
                        wronglyDisallowed.add(verdict.targetEventId());
                    }
                } else if (wronglyDisallowed.contains(verdict.targetEventId())) {
                    overturned++;
                }
            }
        }
        Set<Long> labelled = spamLabelledUsers(byTime);
        // Spread from minutes (the automatic check) to a day or more (moderators).
        assertThat(delays)
                .anyMatch(d -> d.compareTo(Duration.ofMinutes(10)) < 0)
                .anyMatch(d -> d.compareTo(Duration.ofDays(1)) > 0);
        // Some spammers who posted are never labelled within the period; a few normal users are, wrongly.
        Set<Long> neverLabelled = new HashSet<>(spammersWithContent);
        neverLabelled.removeAll(labelled);
        assertThat(neverLabelled).isNotEmpty();
        assertThat(wronglyDisallowed).isNotEmpty();
        assertThat(overturned).isPositive().isLessThan(wronglyDisallowed.size());
    }

    @Test
    void spamLabelsMostlyHitSpammers() {
        Set<Long> spammers = truth.spammers.stream().map(SpammerTruth::userId).collect(Collectors.toSet());
        Set<Long> labelled = spamLabelledUsers(byTime);
        Set<Long> falsePositives = new HashSet<>(labelled);
        falsePositives.removeAll(spammers);
        assertThat(labelled).isNotEmpty();
        // 1.2% of the 57 old normal users and 3% of the 57 newcomers are due one wrong verdict: about 2.4 expected.
        assertThat(falsePositives.size())
                .as("%s", falsePositives)
                .isLessThanOrEqualTo(5)
                .isLessThan(labelled.size() - falsePositives.size());
    }

    private static Set<Long> spamLabelledUsers(List<CloudEvent> byTime) {
        Set<Long> labelled = new HashSet<>();
        for (CloudEvent event : byTime) {
            if (event.type() == EventType.SPAM_VERDICT
                    && event.dataAs(SpamVerdictData.class).verdict().isSpam()) {
                labelled.add(event.dataAs(SpamVerdictData.class).userId());
            } else if (event.type() == EventType.ABUSE_REPORT_RESOLVED
                    && event.dataAs(AbuseReportData.class).resolution().confirmsAbuse()) {
                labelled.add(event.dataAs(AbuseReportData.class).reportedUserId());
            }
        }
        return labelled;
    }

    @Test
    void envelopesUseTheDocumentedSubjectsAndPartitionKeys() {
        for (CloudEvent event : byTime) {
            String subject = event.subject();
            String key = event.partitionKey();
            switch (event.type()) {
                case USER_CREATED, USER_BLOCKED -> {
                    assertThat(subject)
                            .isEqualTo("users/" + event.dataAs(UserData.class).userId());
                    assertThat(key)
                            .isEqualTo(
                                    Long.toString(event.dataAs(UserData.class).userId()));
                }
                case PROJECT_CREATED -> {
                    ProjectData project = event.dataAs(ProjectData.class);
                    assertThat(subject).isEqualTo("projects/" + project.projectId());
                    assertThat(key).isEqualTo(Long.toString(project.ownerId()));
                }
                case MEMBER_ADDED, MEMBER_UPDATED, MEMBER_REMOVED -> {
                    MemberData member = event.dataAs(MemberData.class);
                    assertThat(subject).isEqualTo("projects/" + member.projectId() + "/members/" + member.userId());
                    assertThat(key).isEqualTo(Long.toString(member.userId()));
                }
                case ISSUE_OPENED, ISSUE_CLOSED -> {
                    IssueData issue = event.dataAs(IssueData.class);
                    assertThat(subject).isEqualTo("projects/" + issue.projectId() + "/issues/" + issue.iid());
                    assertThat(key).isEqualTo(Long.toString(issue.actorId()));
                }
                case NOTE_CREATED -> {
                    NoteData note = event.dataAs(NoteData.class);
                    assertThat(subject).isEqualTo("projects/" + note.projectId() + "/notes/" + note.noteId());
                    assertThat(key).isEqualTo(Long.toString(note.authorId()));
                }
                case PUSH -> {
                    PushData push = event.dataAs(PushData.class);
                    assertThat(subject).isEqualTo("projects/" + push.projectId() + "/repository");
                    assertThat(key).isEqualTo(Long.toString(push.userId()));
                }
                case EMOJI_AWARDED -> {
                    EmojiData emoji = event.dataAs(EmojiData.class);
                    assertThat(subject).isEqualTo("projects/" + emoji.projectId() + "/award_emoji/" + emoji.awardId());
                    assertThat(key).isEqualTo(Long.toString(emoji.userId()));
                }
                case SPAM_VERDICT ->
                    assertThat(key)
                            .isEqualTo(Long.toString(
                                    event.dataAs(SpamVerdictData.class).userId()));
                case ABUSE_REPORT_RESOLVED -> {
                    AbuseReportData report = event.dataAs(AbuseReportData.class);
                    assertThat(subject).isEqualTo("abuse_reports/" + report.reportId());
                    assertThat(key).isEqualTo(Long.toString(report.reportedUserId()));
                }
                default -> {
                    MergeRequestData mr = event.dataAs(MergeRequestData.class);
                    assertThat(subject).isEqualTo("projects/" + mr.projectId() + "/merge_requests/" + mr.iid());
                    assertThat(key).isEqualTo(Long.toString(mr.actorId()));
                }
            }
        }
    }

    /** The author of a content event (issue opened, note, merge request opened), else null. */
    private static Long contentAuthor(CloudEvent event) {
        return switch (event.type()) {
            case ISSUE_OPENED -> event.dataAs(IssueData.class).authorId();
            case NOTE_CREATED -> event.dataAs(NoteData.class).authorId();
            case MERGE_REQUEST_OPENED -> event.dataAs(MergeRequestData.class).authorId();
            default -> null;
        };
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
