/** MQTT topic names and filters as Mosquitto 2.0 checks and matches them. */
@NullMarked
package dev.drawbridge.acl.topic;

import org.jspecify.annotations.NullMarked;
