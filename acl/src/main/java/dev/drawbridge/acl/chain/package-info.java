/** Runs several plugins' decisions in order, the way Mosquitto runs its security plugins. */
@NullMarked
package dev.drawbridge.acl.chain;

import org.jspecify.annotations.NullMarked;
