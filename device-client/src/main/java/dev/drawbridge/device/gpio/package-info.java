/** The Raspberry Pi backend: relay and reed switches on Linux GPIO character-device lines. */
@NullMarked
package dev.drawbridge.device.gpio;

import org.jspecify.annotations.NullMarked;
