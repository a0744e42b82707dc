/** The command line: `java -jar drawbridge-device.jar -c device.yml`. */
@NullMarked
package dev.drawbridge.device.cli;

import org.jspecify.annotations.NullMarked;
