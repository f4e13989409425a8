package io.eventstream.generator;

import java.time.Instant;

/**
 * Ground truth: one spammer. Every piece of content this user creates is spam.
 *
 * @param userId            the spammer
 * @param style             how it behaves
 * @param signedUpAt        time of its {@code user.created}; before the run's start for an aged account,
 *                          which has no {@code user.created} in the stream
 * @param emailDomainClass  {@code webmail}, {@code disposable} or {@code company}
 */
public record SpammerTruth(long userId, SpammerStyle style, Instant signedUpAt, String emailDomainClass) {}
