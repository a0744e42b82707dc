/** The {@code drawbridge.jar} command line: the broker, {@code passwd} and {@code pki}. */
@NullMarked
package dev.drawbridge.broker.cli;

import org.jspecify.annotations.NullMarked;
