/** The door: its states, the relay and reed-switch ports, the state tracker and the simulated door. */
@NullMarked
package dev.drawbridge.device.door;

import org.jspecify.annotations.NullMarked;
