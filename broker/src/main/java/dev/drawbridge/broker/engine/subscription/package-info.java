/**
 * The subscription index: every session's topic filters in one tree of levels, matched against the topic of each
 * PUBLISH on the event loops without locks or allocation, with {@code $share} groups handed to the caller to pick a
 * member. It owns the filters and their options, not the sessions (an opaque {@code S} compared by identity) and not
 * delivery.
 */
@NullMarked
package dev.drawbridge.broker.engine.subscription;

import org.jspecify.annotations.NullMarked;
