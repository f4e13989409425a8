package io.eventstream.generator;

import java.util.List;

/**
 * Titles, descriptions and comment bodies, realistic enough for text features: internal links (the
 * instance host) versus external hosts, @mentions, code blocks, uppercase shouting, and spam
 * campaigns whose exact text repeats. Legitimate text overlaps with spam on purpose: people link
 * documentation and upstream issues, paste logs in capitals, repeat "+1" and canned triage answers;
 * spam comes with and without links, shouting or not. Also names, usernames and email addresses.
 */
final class TextFactory {
    static final String WEBMAIL = "webmail";
    static final String DISPOSABLE = "disposable";
    static final String COMPANY = "company";

    /** Documented in docs/generator.md so the spam job's domain lists can be checked against them. */
    static final String[] WEBMAIL_DOMAINS = {
        "gmail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "proton.me",
        "gmx.de",
        "yandex.ru",
        "icloud.com",
        "mail.ru",
        "aol.com"
    };

    static final String[] DISPOSABLE_DOMAINS = {
        "mailinator.com",
        "guerrillamail.com",
        "10minutemail.com",
        "temp-mail.org",
        "yopmail.com",
        "trashmail.com",
        "sharklasers.com",
        "dispostable.com",
        "getnada.com",
        "maildrop.cc"
    };
    static final String[] COMPANY_DOMAINS = {
        "acme-corp.com",
        "initech.io",
        "globex.com",
        "umbrella-labs.org",
        "hooli.dev",
        "stark-industries.net",
        "wayne-enterprises.com",
        "cyberdyne.systems",
        "aperture-science.org",
        "example-university.edu"
    };

    private static final String[] FIRST_NAMES = {
        "Ana", "Ben", "Chen", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya",
        "Nikhil", "Olga", "Pablo", "Qing", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yusuf", "Zoe"
    };
    private static final String[] LAST_NAMES = {
        "Silva", "Muller", "Wang", "Kowalski", "Okafor", "Haddad", "Tanaka", "Novak", "Garcia", "Johansson",
        "Petrov", "Rossi", "Nguyen", "Schmidt", "Kim", "Dubois", "Jensen", "Moreau", "Costa", "Ivanova"
    };
    private static final String[] GROUPS = {
        "platform",
        "infra",
        "data",
        "mobile",
        "web",
        "security",
        "tooling",
        "payments",
        "growth",
        "core",
        "ml",
        "devex",
        "search",
        "billing",
        "observability"
    };
    private static final String[] PROJECT_NAMES = {
        "api", "gateway", "frontend", "backend", "pipeline", "scheduler", "exporter", "operator", "sdk", "cli",
        "dashboard", "indexer", "worker", "agent", "proxy", "ingest", "portal", "monitor", "runner", "registry"
    };

    private static final String[] THINGS = {
        "the pagination",
        "the cache key",
        "this query",
        "the retry loop",
        "the error message",
        "this migration",
        "the timeout",
        "the feature flag",
        "the serializer",
        "the webhook payload",
        "the rate limiter",
        "the background job",
        "the API response",
        "the permission check",
        "the config default"
    };
    private static final String[] PROBLEMS = {
        "fails when the list is empty", "times out on large projects", "returns a 500 for guests",
        "leaks memory after a restart", "is slow with many labels", "breaks on unicode names",
        "ignores the timezone", "double-counts archived items", "crashes on a null author",
        "shows stale data after an update"
    };
    private static final String[] FEATURES = {
        "CSV export",
        "dark mode",
        "bulk editing",
        "SAML group sync",
        "audit events",
        "a dry-run option",
        "retry with backoff",
        "keyset pagination",
        "a health endpoint",
        "structured logging"
    };
    private static final String[] REVIEW_OPENERS = {
        "Could we add a test for this case?", "Nit: the name is a bit misleading here.",
        "I think this will fail when the input is empty.", "Why do we need this change?",
        "This looks off by one to me.", "Can we avoid the extra query here?",
        "Should this be behind a feature flag?", "Please add a comment explaining why.",
        "We already have a helper for this, I think.", "This branch is never reached, is it?"
    };
    private static final String[] REPLIES = {
        "Done.",
        "Good catch, fixed.",
        "Fixed in the latest push.",
        "Thanks, updated.",
        "I'd rather keep it as is, see the discussion above.",
        "Agreed, changed it.",
        "Added a test for it.",
        "Renamed, thanks!"
    };
    private static final String[] ISSUE_COMMENTS = {
        "I can reproduce this on the latest version.",
        "Same here, started after the last upgrade.",
        "Is anyone working on this?",
        "This is blocking our release, any update?",
        "Workaround: restart the worker after the import.",
        "I think this is a duplicate.",
        "Could you share the logs?",
        "Confirmed on staging as well.",
        "+1, we need this too.",
        "Closing soon unless someone objects."
    };
    private static final String[] APPROVALS = {
        "LGTM", "LGTM", "Looks good to me, thanks!", "Nice cleanup.", "Approved, thanks for the fix."
    };
    /** Short texts that many people write, often several times a day: they repeat, as spam does. */
    private static final String[] SHORT_REPLIES = {
        "+1",
        "+1",
        "Same here.",
        "thanks!",
        "Thanks!",
        "LGTM",
        "Any update on this?",
        "bump",
        "Thank you!",
        "Same problem here.",
        ":+1:",
        "Following.",
        "+1, same for us"
    };
    /** Canned answers a maintainer pastes while triaging; some link external documentation. */
    private static final String[] TRIAGE_ANSWERS = {
        "Thanks for the report! Please fill in the bug template so we can reproduce it: https://docs.gitlab.com/ee/development/contributing/issue_workflow.html",
        "This should be fixed in the latest release, see https://about.gitlab.com/releases/ - please upgrade and reopen if it persists.",
        "Could you share the output of `gitlab-rake gitlab:env:info`? See https://docs.gitlab.com/ee/administration/raketasks/maintenance.html",
        "Closing as a duplicate, please follow the linked issue.",
        "Moving this to the backlog for now.",
        "We need more information to act on this. Closing in a week unless there is an update.",
        "Please ask usage questions on the forum: https://forum.gitlab.com/ - this tracker is for bugs."
    };

    private static final String[] DOC_LINKS = {
        "https://docs.python.org/3/library/functools.html",
        "https://stackoverflow.com/questions/",
        "https://developer.mozilla.org/en-US/docs/Web/API/Fetch_API",
        "https://www.rfc-editor.org/rfc/rfc",
        "https://github.com/rails/rails/issues/",
        "https://pkg.go.dev/context",
        "https://docs.oracle.com/en/java/javase/17/",
        "https://docs.gitlab.com/ee/ci/yaml/",
        "https://github.com/kubernetes/kubernetes/issues/",
        "https://www.postgresql.org/docs/current/",
        "https://nvd.nist.gov/vuln/detail/CVE-2023-",
        "https://medium.com/@",
        "https://dev.to/",
        "https://en.wikipedia.org/wiki/",
        "https://kubernetes.io/docs/concepts/",
        "https://github.com/golang/go/issues/",
        "https://bugzilla.mozilla.org/show_bug.cgi?id="
    };
    /** Integration bots: %1$d is a build or event number. */
    private static final String[] BOT_TEMPLATES = {
        "Pipeline #%1$d failed: https://ci.buildkite-example.com/builds/%1$d",
        "New error event in production: https://sentry.io/organizations/acme/issues/%1$d/",
        "Deployed to staging: https://staging.acme-app.io (build %1$d)",
        "This issue was mentioned in https://acme.atlassian.net/browse/OPS-%1$d",
        "Coverage report: https://codecov.io/gh/acme/api/pull/%1$d",
        "Security advisory: https://github.com/advisories/GHSA-%1$d and https://nvd.nist.gov/vuln/detail/CVE-2024-%1$d"
    };

    private static final String[] VERSIONS = {"16.8.1", "16.9.0", "16.10.2", "17.0.0", "17.1.3"};
    private static final String[] OPERATING_SYSTEMS = {
        "Ubuntu 22.04", "Debian 12", "RHEL 9", "macOS 14", "Windows 11", "Alpine 3.19"
    };

    private static final String[] SPAM_PRODUCTS = {
        "VIAGRA",
        "CASINO BONUS",
        "CRYPTO AIRDROP",
        "REPLICA WATCHES",
        "FREE MOVIES HD",
        "CHEAP FLIGHTS",
        "INSTANT LOANS",
        "FOLLOWERS",
        "ESSAY WRITING",
        "WEIGHT LOSS PILLS"
    };
    private static final String[] SPAM_HOSTS = {
        "cheap-meds-online.xyz",
        "best-casino-bonus.win",
        "free-movies-hd.top",
        "crypto-airdrop.click",
        "replica-watches.shop",
        "bit.ly",
        "tinyurl.com",
        "seo-backlinks.biz",
        "essay-writers.pro",
        "loan-approval-fast.info",
        "followers-boost.live"
    };
    private static final String[] CAREFUL_HOSTS = {
        "techguides-blog.net",
        "devtips-daily.com",
        "cloudhosting-review.org",
        "best-vpn-compare.com",
        "learn-coding-fast.io",
        "saas-tools-list.com"
    };
    private static final String[] CAREFUL_PITCHES = {
        "I wrote up a longer guide on this here:", "There is a good comparison of the options at",
        "We solved the same problem with the tool reviewed at", "A step-by-step tutorial that helped me:",
        "More background in this article:"
    };
    private static final String[] SPAM_OPENERS_SHOUTING = {
        "BUY %s NOW!!!", "%s - BEST PRICE GUARANTEED!!!", "100%% WORKING %s 2024", "GET %s TODAY"
    };
    private static final String[] SPAM_OPENERS = {
        "Great post, thanks for sharing. If you need %s, have a look here", "Looking for %s? We have the best offers",
        "Hi all, cheap %s with fast delivery", "Thanks! btw we sell %s at discount prices",
        "Best %s deals of the year", "anyone interested in %s? message me"
    };
    private static final String[] SPAM_CONTACTS = {
        "WhatsApp +1 555 0%d",
        "Telegram @deals_%d",
        "call +44 20 7946 0%d",
        "email sales%d at our site",
        "WeChat id shop%d"
    };

    private final Rng rng;
    private final String instanceUrl;

    TextFactory(Rng rng, String source) {
        this.rng = rng;
        this.instanceUrl = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
    }

    // ------------------------------------------------------------------ identities

    String[] person(long userId, boolean spammer) {
        if (spammer && rng.chance(0.6)) {
            StringBuilder handle = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                handle.append((char) ('a' + rng.nextInt(26)));
            }
            handle.append(rng.between(10, 9999));
            return new String[] {handle.toString(), handle.toString().toUpperCase(java.util.Locale.ROOT)};
        }
        String first = rng.pick(FIRST_NAMES);
        String last = rng.pick(LAST_NAMES);
        String username = (first.charAt(0) + last).toLowerCase(java.util.Locale.ROOT) + userId;
        return new String[] {username, first + " " + last};
    }

    String emailDomain(String domainClass) {
        return switch (domainClass) {
            case WEBMAIL -> rng.pick(WEBMAIL_DOMAINS);
            case DISPOSABLE -> rng.pick(DISPOSABLE_DOMAINS);
            default -> rng.pick(COMPANY_DOMAINS);
        };
    }

    String projectPath(long projectId) {
        return rng.pick(GROUPS) + "/" + rng.pick(PROJECT_NAMES) + "-" + projectId;
    }

    // ------------------------------------------------------------------ normal content

    String issueTitle() {
        return switch (rng.nextInt(4)) {
            case 0 -> capitalise(rng.pick(THINGS)) + " " + rng.pick(PROBLEMS);
            case 1 -> "Add " + rng.pick(FEATURES);
            case 2 -> "Flaky test: " + rng.pick(THINGS).replace("the ", "") + " spec";
            default -> "Improve " + rng.pick(THINGS).replace("the ", "") + " performance";
        };
    }

    /** A short text many users write (and rewrite): "+1", "LGTM", "thanks!". */
    String shortReply() {
        return rng.pick(SHORT_REPLIES);
    }

    static int botTemplateCount() {
        return BOT_TEMPLATES.length;
    }

    /** A bot's note: its template with a fresh number, or always the same number when it repeats verbatim. */
    String botNote(int template, boolean verbatim) {
        return String.format(java.util.Locale.ROOT, BOT_TEMPLATES[template], verbatim ? 1 : rng.between(1000, 999_999));
    }

    /** One canned triage answer, pasted verbatim on several issues in a row. */
    String triageAnswer() {
        return rng.pick(TRIAGE_ANSWERS);
    }

    /** A bug report by someone outside the project: environment, logs, links to upstream issues and docs. */
    String communityIssueDescription(SimProject project) {
        StringBuilder text = new StringBuilder(320);
        text.append("### Summary\n\n")
                .append(capitalise(rng.pick(THINGS)))
                .append(' ')
                .append(rng.pick(PROBLEMS))
                .append(".\n\n");
        text.append("### Environment\n\n- Version: ")
                .append(rng.pick(VERSIONS))
                .append("\n- OS: ")
                .append(rng.pick(OPERATING_SYSTEMS))
                .append('\n');
        if (rng.chance(0.5)) {
            text.append("\n### Logs\n\n```\nERROR ")
                    .append(rng.between(100, 999))
                    .append(": ")
                    .append(rng.pick(PROBLEMS))
                    .append("\n  at ")
                    .append(project.tree.existingFile(rng.nextInt(project.tree.moduleCount()), rng))
                    .append("\n```\n");
        }
        if (rng.chance(0.5)) {
            text.append("\nPossibly related: ");
            appendExternalLinks(text, rng.oneToCap(0.6, 4));
            text.append('\n');
        }
        return text.toString();
    }

    /** A comment by someone outside the project: often "+1", sometimes a workaround with links. */
    String communityComment(SimProject project) {
        double draw = rng.uniform();
        if (draw < 0.35) {
            return shortReply();
        }
        StringBuilder text = new StringBuilder(160).append(rng.pick(ISSUE_COMMENTS));
        if (draw < 0.7) {
            text.append(" Workaround that worked for us: ");
            appendExternalLinks(text, rng.oneToCap(0.4, 3));
        }
        if (rng.chance(0.25)) {
            text.append("\n\n```\n").append(project.tree.codeLine()).append("\n```");
        }
        return text.toString();
    }

    /** {@code mentions}: usernames to /cc (may be empty). */
    String issueDescription(SimProject project, List<String> mentions) {
        StringBuilder text = new StringBuilder(256);
        text.append("### Summary\n\n")
                .append(capitalise(rng.pick(THINGS)))
                .append(' ')
                .append(rng.pick(PROBLEMS))
                .append(".\n\n");
        text.append("### Steps to reproduce\n\n1. Open the project\n2. Trigger ")
                .append(rng.pick(THINGS))
                .append("\n3. See the error\n");
        if (rng.chance(0.4)) {
            text.append("\n```\n")
                    .append("ERROR ")
                    .append(rng.between(100, 999))
                    .append(": unexpected nil\n  at ")
                    .append(project.tree.existingFile(rng.nextInt(project.tree.moduleCount()), rng))
                    .append(":")
                    .append(rng.between(1, 400))
                    .append("\n```\n");
        }
        if (rng.chance(0.25)) {
            text.append("\nRelated: ").append(internalIssueLink(project)).append('\n');
        }
        if (rng.chance(0.3)) {
            text.append("\nSee ");
            appendExternalLinks(text, rng.oneToCap(0.5, 4));
            text.append('\n');
        }
        if (!mentions.isEmpty()) {
            text.append("\n/cc");
            for (String mention : mentions) {
                text.append(" @").append(mention);
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** {@code mentions}: usernames pinged at the start (may be empty). */
    String issueComment(SimProject project, List<String> mentions) {
        if (mentions.isEmpty() && rng.chance(0.2)) {
            return shortReply();
        }
        StringBuilder text = new StringBuilder(128);
        for (String mention : mentions) {
            text.append('@').append(mention).append(' ');
        }
        text.append(rng.pick(ISSUE_COMMENTS));
        if (rng.chance(0.15)) {
            text.append(" See ").append(internalIssueLink(project));
        }
        if (rng.chance(0.14)) {
            text.append(" (");
            appendExternalLinks(text, rng.oneToCap(0.3, 3));
            text.append(')');
        }
        if (rng.chance(0.1)) {
            text.append("\n\n```\n").append(project.tree.codeLine()).append("\n```");
        }
        return text.toString();
    }

    String reviewComment(SimProject project, String path) {
        StringBuilder text = new StringBuilder(160);
        text.append(rng.pick(REVIEW_OPENERS));
        if (rng.chance(0.3)) {
            text.append("\n\nSuggestion:\n```")
                    .append(project.tree.languageName())
                    .append('\n')
                    .append(project.tree.codeLine())
                    .append("\n```");
        }
        if (rng.chance(0.1)) {
            text.append("\n\nSee ")
                    .append(instanceUrl)
                    .append('/')
                    .append(project.pathWithNamespace)
                    .append("/-/blob/main/")
                    .append(path);
        }
        if (rng.chance(0.1)) {
            text.append("\n\nDocs: ").append(externalDocLink());
        }
        return text.toString();
    }

    String mergeRequestComment(SimProject project, String mention) {
        StringBuilder text = new StringBuilder(96);
        if (mention != null) {
            text.append('@').append(mention).append(' ');
        }
        text.append(rng.chance(0.5) ? rng.pick(REVIEW_OPENERS) : rng.pick(APPROVALS));
        if (rng.chance(0.1)) {
            text.append(" Related: ").append(internalIssueLink(project));
        }
        return text.toString();
    }

    String reply(String shortSha) {
        String reply = rng.pick(REPLIES);
        return rng.chance(0.3) ? reply + " (" + shortSha + ")" : reply;
    }

    String mergeRequestTitle(SimProject project, int module) {
        String area = project.tree.module(module);
        area = area.substring(area.indexOf('/') + 1);
        return switch (rng.nextInt(4)) {
            case 0 -> "Fix " + rng.pick(THINGS).replace("the ", "") + " in " + area;
            case 1 -> "Add " + rng.pick(FEATURES) + " to " + area;
            case 2 -> "Refactor " + area + " " + rng.pick(THINGS).replace("the ", "");
            default -> (rng.chance(0.5) ? "Draft: " : "") + "Update " + area + " tests";
        };
    }

    String mergeRequestDescription(SimProject project, SimIssue closes) {
        StringBuilder text = new StringBuilder(160);
        text.append("## What does this MR do?\n\n")
                .append(capitalise(rng.pick(THINGS)))
                .append(' ')
                .append(rng.pick(PROBLEMS))
                .append("; this fixes it.\n");
        if (closes != null) {
            text.append("\nCloses #").append(closes.iid()).append('\n');
        }
        if (rng.chance(0.2)) {
            text.append("\n## How to test\n\n```shell\nmake test\n```\n");
        }
        if (rng.chance(0.2)) {
            text.append("\n## References\n\n");
            appendExternalLinks(text, rng.oneToCap(0.6, 4));
            text.append('\n');
        }
        return text.toString();
    }

    String approvalComment() {
        return rng.pick(APPROVALS);
    }

    // ------------------------------------------------------------------ spam

    /**
     * A burst campaign: one title and two or three body variants reused verbatim. Campaigns differ:
     * shouting or polite, 1–6 links or none at all (a phone number or messenger handle instead).
     */
    String[] burstCampaign() {
        String product = rng.pick(SPAM_PRODUCTS);
        boolean shouting = rng.chance(0.4);
        String name = shouting ? product : product.toLowerCase(java.util.Locale.ROOT);
        String title = shouting
                ? product + " " + (rng.chance(0.5) ? "BEST PRICE ONLINE!!!" : "FREE DOWNLOAD 2024")
                : capitalise(name) + (rng.chance(0.5) ? " at the best price" : " - free download");
        int variants = rng.between(2, 3);
        int maxLinks = rng.chance(0.15) ? 0 : rng.between(1, 6);
        String[] campaign = new String[1 + variants];
        campaign[0] = title;
        for (int v = 1; v <= variants; v++) {
            StringBuilder body = new StringBuilder(320);
            body.append(String.format(
                    java.util.Locale.ROOT, rng.pick(shouting ? SPAM_OPENERS_SHOUTING : SPAM_OPENERS), name));
            int links = maxLinks == 0 ? 0 : rng.between(1, maxLinks);
            for (int i = 0; i < links; i++) {
                body.append(i == 0 ? ": " : " ");
                String host = rng.pick(SPAM_HOSTS);
                if (rng.chance(0.4)) {
                    body.append("[")
                            .append(product.toLowerCase(java.util.Locale.ROOT))
                            .append("](https://")
                            .append(host)
                            .append("/")
                            .append(rng.between(1000, 99999))
                            .append(")");
                } else {
                    body.append("https://").append(host).append("/?ref=").append(rng.between(1000, 99999));
                }
            }
            if (links == 0 || rng.chance(0.3)) {
                body.append(shouting ? " CONTACT " : " - contact ")
                        .append(String.format(java.util.Locale.ROOT, rng.pick(SPAM_CONTACTS), rng.between(100, 999)));
            }
            if (shouting && rng.chance(0.5)) {
                body.append(" LIMITED OFFER, CLICK HERE >>>");
            }
            campaign[v] = body.toString();
        }
        return campaign;
    }

    /** Mention spam: the same pitch with a different handful of @mentions each time. */
    String mentionSpam(String pitch, List<String> usernames) {
        StringBuilder body = new StringBuilder(pitch.length() + usernames.size() * 16);
        for (String username : usernames) {
            body.append('@').append(username).append(' ');
        }
        return body.append(pitch).toString();
    }

    /** A mention campaign: title and pitch; a third of the pitches have no link, only a contact. */
    String[] mentionCampaign() {
        String product = rng.pick(SPAM_PRODUCTS);
        String title = "Important: " + product.toLowerCase(java.util.Locale.ROOT) + " for everyone";
        String pitch = rng.chance(0.35)
                ? "you have been selected for our " + product.toLowerCase(java.util.Locale.ROOT) + " giveaway, DM "
                        + String.format(java.util.Locale.ROOT, rng.pick(SPAM_CONTACTS), rng.between(100, 999))
                : "check this out, " + product + " available now: https://" + rng.pick(SPAM_HOSTS) + "/"
                        + rng.between(1000, 99999);
        return new String[] {title, pitch};
    }

    /** A comment written like everyone else's, often with one promotional link added. */
    String carefulComment(SimProject project) {
        StringBuilder text = new StringBuilder(200).append(issueComment(project, List.of()));
        if (rng.chance(0.6)) {
            appendPitch(text);
        }
        return text.toString();
    }

    /** An ordinary-looking issue with (usually) one promotional link. */
    String carefulIssueDescription(SimProject project) {
        StringBuilder text = new StringBuilder(320)
                .append(rng.chance(0.5) ? issueDescription(project, List.of()) : communityIssueDescription(project));
        if (rng.chance(0.7)) {
            appendPitch(text.append('\n'));
        }
        return text.toString();
    }

    String carefulIssueTitle() {
        return rng.chance(0.5) ? issueTitle() : "Question about " + rng.pick(FEATURES);
    }

    /** Asking several people at once: "@a @b could one of you review this?" */
    String reviewPing(List<String> usernames) {
        StringBuilder text = new StringBuilder(96);
        for (String username : usernames) {
            text.append('@').append(username).append(' ');
        }
        return text.append(
                        rng.chance(0.5) ? "could one of you take a look?" : "friendly ping, this is ready for review.")
                .toString();
    }

    private void appendPitch(StringBuilder text) {
        text.append(' ')
                .append(rng.pick(CAREFUL_PITCHES))
                .append(" https://")
                .append(rng.pick(CAREFUL_HOSTS))
                .append("/blog/")
                .append(rng.pick(THINGS).replace("the ", "").replace(' ', '-'));
    }

    // ------------------------------------------------------------------ links

    private String internalIssueLink(SimProject project) {
        return instanceUrl + "/" + project.pathWithNamespace + (rng.chance(0.5) ? "/-/issues/" : "/-/merge_requests/")
                + rng.between(1, Math.max(1, (int) project.nextIssueIid + 1));
    }

    private void appendExternalLinks(StringBuilder text, int links) {
        for (int i = 0; i < links; i++) {
            text.append(i == 0 ? "" : i == links - 1 ? " and " : ", ").append(externalDocLink());
        }
    }

    private String externalDocLink() {
        String link = rng.pick(DOC_LINKS);
        // Links ending in a separator are prefixes of numbered pages (issues, questions, CVEs).
        char last = link.charAt(link.length() - 1);
        return last == '/' || last == '-' || last == '@' || last == '=' ? link + rng.between(100, 99999) : link;
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
