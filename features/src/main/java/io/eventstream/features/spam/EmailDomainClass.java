package io.eventstream.features.spam;

import java.util.Locale;

/** What kind of provider an email address belongs to; the value of {@code email_domain_class}. */
public enum EmailDomainClass {
    /** A free consumer mail service ({@code email-domains/webmail.txt}). */
    WEBMAIL,
    /** A throwaway-inbox service ({@code email-domains/disposable.txt}). */
    DISPOSABLE,
    /** Any other domain: companies, universities, self-hosted mail. */
    OTHER,
    /** No sign-up seen, no email in it (GitLab redacts it), or not an address. */
    UNKNOWN;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** The column value, e.g. {@code webmail}. */
    public String value() {
        return value;
    }

    public static EmailDomainClass fromValue(String value) {
        for (EmailDomainClass c : values()) {
            if (c.value.equals(value)) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
