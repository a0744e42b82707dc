package dev.drawbridge.device.gpio;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** GPIO lines in memory: outputs record every value set, inputs are set by the test. */
final class FakeLines implements GpioLines {

    final Map<Integer, FakeOutput> outputs = new ConcurrentHashMap<>();
    final Map<Integer, AtomicBoolean> inputs = new ConcurrentHashMap<>();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public FakeOutput output(int gpio, boolean activeHigh) {
        FakeOutput output = new FakeOutput();
        outputs.put(gpio, output);
        return output;
    }

    @Override
    public InputLine input(int gpio, boolean activeLow) {
        AtomicBoolean level = inputs.computeIfAbsent(gpio, g -> new AtomicBoolean());
        return new InputLine() {
            @Override
            public boolean isActive() {
                return level.get();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void close() {
        closed.set(true);
    }

    /** An output line: starts inactive, as the real request does. */
    static final class FakeOutput implements OutputLine {
        final List<Boolean> history = new CopyOnWriteArrayList<>();
        final AtomicInteger releasesToFail = new AtomicInteger();
        volatile boolean active;
        volatile boolean released;

        @Override
        public void set(boolean value) {
            if (!value && releasesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("simulated GPIO write failure");
            }
            active = value;
            history.add(value);
        }

        @Override
        public void close() {
            released = true;
        }
    }
}
