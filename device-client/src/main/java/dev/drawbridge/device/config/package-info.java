/** The device's YAML config file, bound to records; every error names the file, the field and the reason. */
@NullMarked
package dev.drawbridge.device.config;

import org.jspecify.annotations.NullMarked;
