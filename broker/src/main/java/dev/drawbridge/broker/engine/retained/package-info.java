/**
 * Retained messages by topic: a tree of levels that the engine sets and clears from retained PUBLISHes and walks with
 * a subscription's filter to send what a new subscriber should get. It owns the topic-to-message mapping only; what a
 * message is ({@code M}), its persistence and its expiry belong to the engine and the store.
 */
@NullMarked
package dev.drawbridge.broker.engine.retained;

import org.jspecify.annotations.NullMarked;
