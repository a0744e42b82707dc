package dev.drawbridge.device.mqtt;

import java.io.Serial;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The broker answered with a failure code: a CONNACK, SUBACK or PUBACK that refused. The message reads as the log
 * should, e.g. {@code SUBACK 0x87 not authorized}, with the broker's reason string when it sent one that says more
 * than the code's name.
 */
public final class BrokerRefusal extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String packet;
    private final int code;

    BrokerRefusal(String packet, int code, String codeName, Optional<?> reasonString) {
        super(text(packet, code, codeName, reasonString.map(Object::toString).orElse(null)), null, false, false);
        this.packet = packet;
        this.code = code;
    }

    /** The packet that refused: {@code CONNACK}, {@code SUBACK} or {@code PUBACK}. */
    public String packet() {
        return packet;
    }

    /** The reason code (MQTT 5) or return code (MQTT 3.1.1). */
    public int code() {
        return code;
    }

    private static String text(String packet, int code, String codeName, @Nullable String reasonString) {
        String name = codeName.toLowerCase(Locale.ROOT).replace('_', ' ');
        // A reason string that only repeats the code's name (Drawbridge's CONNACK refusals) says nothing more.
        boolean saysMore = reasonString != null && !reasonString.equalsIgnoreCase(name);
        return String.format(Locale.ROOT, "%s 0x%02X %s", packet, code, name)
                + (saysMore ? " (\"" + reasonString + "\")" : "");
    }
}
