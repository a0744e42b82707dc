/**
 * Routing of a published message: the retained store first when it carries RETAIN, then every matching session that
 * may READ it, once per session at the highest subscribed QoS. Runs on the publisher's thread and never writes to a
 * connection itself.
 */
@NullMarked
package dev.drawbridge.broker.engine.routing;

import org.jspecify.annotations.NullMarked;
