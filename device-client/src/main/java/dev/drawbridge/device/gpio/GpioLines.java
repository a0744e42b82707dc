package dev.drawbridge.device.gpio;

/**
 * The hardware edge: GPIO lines by BCM number. {@link DiozeroLines} is the real one (the Linux GPIO character
 * device); tests use a fake. Implementations request outputs already inactive, in the same call, so a relay never
 * clicks while the line is being set up.
 */
public interface GpioLines extends AutoCloseable {

    /** An output line, requested inactive. */
    OutputLine output(int gpio, boolean activeHigh);

    /** An input line with the internal pull-up (switch to ground, {@code activeLow}) or pull-down. */
    InputLine input(int gpio, boolean activeLow);

    /** Releases every line and the chip. */
    @Override
    void close();

    /** An output: a relay driver. */
    interface OutputLine extends AutoCloseable {
        void set(boolean active);

        @Override
        void close();
    }

    /** An input: a reed switch. */
    interface InputLine extends AutoCloseable {
        boolean isActive();

        @Override
        void close();
    }
}
