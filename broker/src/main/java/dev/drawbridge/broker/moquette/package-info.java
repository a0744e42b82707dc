/**
 * The adapter around Moquette 0.17: the only package of ours (with the few classes in {@code io.moquette.broker}) that
 * may import Moquette. Everything else talks to {@link dev.drawbridge.broker.moquette.MoquetteCore}.
 */
@NullMarked
package dev.drawbridge.broker.moquette;

import org.jspecify.annotations.NullMarked;
