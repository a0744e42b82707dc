package dev.drawbridge.device.gpio;

import com.diozero.api.DigitalInputDevice;
import com.diozero.api.DigitalOutputDevice;
import com.diozero.api.GpioPullUpDown;
import com.diozero.util.Diozero;

/**
 * GPIO lines through diozero's built-in provider, which talks to the Linux GPIO character device
 * ({@code /dev/gpiochipN}) directly: no sysfs, no pigpio daemon, no root when the user is in the {@code gpio} group.
 * Lines are BCM numbers, which diozero maps to the right chip on every Pi model (including the Pi 5).
 */
public final class DiozeroLines implements GpioLines {

    @Override
    public OutputLine output(int gpio, boolean activeHigh) {
        DigitalOutputDevice device = DigitalOutputDevice.Builder.builder(gpio)
                .setActiveHigh(activeHigh)
                .setInitialValue(false)
                .build();
        return new OutputLine() {
            @Override
            public void set(boolean active) {
                device.setOn(active);
            }

            @Override
            public void close() {
                device.close();
            }
        };
    }

    @Override
    public InputLine input(int gpio, boolean activeLow) {
        DigitalInputDevice device = DigitalInputDevice.Builder.builder(gpio)
                .setPullUpDown(activeLow ? GpioPullUpDown.PULL_UP : GpioPullUpDown.PULL_DOWN)
                .setActiveHigh(!activeLow)
                .build();
        return new InputLine() {
            @Override
            public boolean isActive() {
                return device.isActive();
            }

            @Override
            public void close() {
                device.close();
            }
        };
    }

    @Override
    public void close() {
        Diozero.shutdown();
    }
}
