package io.eventstream.features.spam;

import io.eventstream.features.datasets.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Classifies email domains with the shipped lists {@code email-domains/webmail.txt} and
 * {@code email-domains/disposable.txt} (documented in the files). A domain matches an entry when it
 * equals it or is a subdomain of it; disposable wins over webmail.
 */
public final class EmailDomains {
    public static final String WEBMAIL_RESOURCE = "email-domains/webmail.txt";
    public static final String DISPOSABLE_RESOURCE = "email-domains/disposable.txt";

    private static final EmailDomains SHIPPED = new EmailDomains(WEBMAIL_RESOURCE, DISPOSABLE_RESOURCE);

    private final Set<String> webmail;
    private final Set<String> disposable;
    private final String webmailSha256;
    private final String disposableSha256;

    private EmailDomains(String webmailResource, String disposableResource) {
        byte[] webmailBytes = resource(webmailResource);
        byte[] disposableBytes = resource(disposableResource);
        this.webmail = domains(webmailBytes);
        this.disposable = domains(disposableBytes);
        this.webmailSha256 = Sha256.hex(webmailBytes);
        this.disposableSha256 = Sha256.hex(disposableBytes);
    }

    /** The lists shipped in the jar. */
    public static EmailDomains shipped() {
        return SHIPPED;
    }

    /**
     * The lowercase domain of an email address (after the last {@code @}, trailing dot removed), or
     * null when there is none.
     */
    public static String domainOf(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at < 1) {
            return null;
        }
        String domain = email.substring(at + 1).trim().toLowerCase(Locale.ROOT);
        while (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (domain.isEmpty()
                || domain.indexOf('.') < 0
                || domain.startsWith(".")
                || domain.contains("..")
                || domain.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '@')) {
            return null;
        }
        return domain;
    }

    /** The class of a domain from {@link #domainOf}; null means {@link EmailDomainClass#UNKNOWN}. */
    public EmailDomainClass classify(String domain) {
        if (domain == null) {
            return EmailDomainClass.UNKNOWN;
        }
        if (matches(disposable, domain)) {
            return EmailDomainClass.DISPOSABLE;
        }
        if (matches(webmail, domain)) {
            return EmailDomainClass.WEBMAIL;
        }
        return EmailDomainClass.OTHER;
    }

    /** SHA-256 of the webmail list file, recorded in the feature definitions. */
    public String webmailSha256() {
        return webmailSha256;
    }

    public String disposableSha256() {
        return disposableSha256;
    }

    private static boolean matches(Set<String> list, String domain) {
        String candidate = domain;
        while (true) {
            if (list.contains(candidate)) {
                return true;
            }
            int dot = candidate.indexOf('.');
            if (dot < 0) {
                return false;
            }
            candidate = candidate.substring(dot + 1);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = EmailDomains.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> domains(byte[] bytes) {
        Set<String> domains = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int hash = line.indexOf('#');
                String domain =
                        (hash >= 0 ? line.substring(0, hash) : line).trim().toLowerCase(Locale.ROOT);
                if (!domain.isEmpty()) {
                    domains.add(domain);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(domains);
    }
}
