package dev.drawbridge.device.mqtt;

/**
 * The device's topics under one base, e.g. {@code drawbridge/garage}.
 *
 * @param base the prefix without a trailing slash
 */
public record Topics(String base) {

    /** Commands to the device (QoS 1): OPEN, CLOSE, STOP, TOGGLE. */
    public String command() {
        return base + "/cmd";
    }

    /** The door's state, retained: open, opening, closed, closing, stopped, unknown. */
    public String state() {
        return base + "/state";
    }

    /** online/offline, retained; offline comes from the will when the device vanishes. */
    public String availability() {
        return base + "/availability";
    }

    /** One JSON object per received command: what was done and why. */
    public String event() {
        return base + "/event";
    }

    /** JSON details of the state, retained: estimated, problem, pulses, backend. */
    public String attributes() {
        return base + "/attributes";
    }
}
