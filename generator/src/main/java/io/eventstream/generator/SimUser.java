package io.eventstream.generator;

import java.util.ArrayList;
import java.util.List;

/** A simulated user: identity, behaviour parameters and the little state its behaviour needs. */
final class SimUser {
    /**
     * {@code COMMUNITY}: someone from outside who reports bugs and comments on public projects
     * without being a member (as on any public GitLab instance). {@code BOT}: an integration account
     * (CI, error tracker, deploy notifier) posting templated notes with external links in bursts.
     */
    enum Role {
        DEVELOPER,
        REPORTER,
        OCCASIONAL,
        COMMUNITY,
        BOT,
        SPAMMER
    }

    /** Half-life of "who reviewed this author's merge requests". */
    static final long HISTORY_HALF_LIFE_MILLIS = 90L * 24 * 3600 * 1000;

    static final int HISTORY_CAPACITY = 12;
    static final int MAX_MEMBERSHIPS = 8;

    final long id;
    final Role role;
    final SpammerStyle spammerStyle;
    final String username;
    final String name;
    final String email;
    final String emailDomainClass;
    final boolean twoFactor;
    final boolean emailVerified;
    /** Offset of the user's working day from UTC. */
    final int timeZoneOffsetMinutes;
    /** Mean sessions on a working day. */
    final double sessionsPerDay;

    boolean signedUp;
    boolean blocked;
    boolean blockScheduled;
    final List<Membership> memberships = new ArrayList<>(2);
    /** Merge requests where this user is a reviewer who has not approved yet. */
    int openReviews;
    /** The branch the user is working on and has not opened a merge request from yet. */
    Branch workingBranch;
    /** Who reviewed this user's merge requests, decayed. */
    final DecayingTopK reviewedBy = new DecayingTopK(HISTORY_CAPACITY, HISTORY_HALF_LIFE_MILLIS);

    /** Signed up during the simulated period (has a {@code user.created}). */
    boolean newcomer;
    /** A bot's message template ({@link TextFactory#botNote}); whether it repeats verbatim. */
    int botTemplate;

    boolean botRepeatsVerbatim;
    /** A normal user who will once get a wrong DISALLOW verdict. */
    boolean falsePositiveDue;

    // Spammer state.
    String campaignTitle;
    /** Body variants of the campaign, each reused verbatim. */
    String[] campaignBodies;
    /** Typical items per burst and gap between them: spammers differ in intensity. */
    int burstSize;

    long itemGapMillis;
    int maxBursts;
    /** The few public projects a campaign spams. */
    List<SimProject> spamTargets;

    int spamItemsLeftInBurst;
    int burstsDone;
    int spamVerdicts;
    boolean reported;
    /** Spam the automatic check never catches; only moderators and reports may, rarely. */
    boolean evasive;

    SimUser(
            long id,
            Role role,
            SpammerStyle spammerStyle,
            String username,
            String name,
            String email,
            String emailDomainClass,
            boolean twoFactor,
            boolean emailVerified,
            int timeZoneOffsetMinutes,
            double sessionsPerDay) {
        this.id = id;
        this.role = role;
        this.spammerStyle = spammerStyle;
        this.username = username;
        this.name = name;
        this.email = email;
        this.emailDomainClass = emailDomainClass;
        this.twoFactor = twoFactor;
        this.emailVerified = emailVerified;
        this.timeZoneOffsetMinutes = timeZoneOffsetMinutes;
        this.sessionsPerDay = sessionsPerDay;
    }

    boolean isSpammer() {
        return role == Role.SPAMMER;
    }

    Membership membershipOf(SimProject project) {
        for (Membership membership : memberships) {
            if (membership.project == project) {
                return membership;
            }
        }
        return null;
    }
}
