package io.eventstream.features.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of an event's {@code data} that holds personal data or free text (names, emails,
 * IP addresses, titles, descriptions, note bodies). Features may read these fields; sinks must not
 * persist them. {@link PersonalFields} lists them per type so a sink can check its columns.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Personal {
    /** Why the field is personal: {@code TEXT} bodies, or {@code IDENTITY} (names, emails, IPs). */
    Kind value();

    enum Kind {
        TEXT,
        IDENTITY
    }
}
