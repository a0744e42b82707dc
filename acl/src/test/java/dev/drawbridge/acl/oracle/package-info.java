/** Readers for the oracle files recorded from Mosquitto 2.0.11. */
@NullMarked
package dev.drawbridge.acl.oracle;

import org.jspecify.annotations.NullMarked;
