/** Broker statistics and the {@code $SYS} topic tree that publishes them. */
@NullMarked
package dev.drawbridge.broker.sys;

import org.jspecify.annotations.NullMarked;
