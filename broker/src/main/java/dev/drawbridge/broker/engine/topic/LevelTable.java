package dev.drawbridge.broker.engine.topic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The children of one tree node, keyed by their level: an open-addressing table that readers probe with a region of a
 * topic ({@link #get(String, int, int)}), so matching allocates no substring.
 *
 * <p>Threading: any number of readers, lock-free, while one writer at a time (the owner serialises them with its lock)
 * puts and removes. A writer stores a child into a free or removed slot with a release store, and a removal leaves a
 * marker, so an entry never moves inside a published array: a reader sees every child that is there for the whole of
 * its probe, may or may not see one being added, and never sees half an entry. Growing, shrinking and sweeping markers
 * build a new array and publish it through the volatile field; readers still on the old one see the old children.
 * Writes are amortised O(1) rather than copy-on-write, because one level can hold thousands of children
 * ({@code clients/<id>/#}).
 *
 * @param <N> the node type; its {@link Keyed#level()} never changes
 */
public final class LevelTable<N extends LevelTable.Keyed> {

    /** A node that knows its own level. */
    public interface Keyed {
        String level();
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final Object[] EMPTY = new Object[0];
    private static final Object REMOVED = new Object();

    private volatile Object[] slots = EMPTY;
    // Writer-only counts: live children, and live plus removed markers (a probe ends only at a null slot).
    private int live;
    private int used;

    /** The child whose level is the region {@code [start, end)} of {@code s}; lock-free, allocates nothing. */
    @SuppressWarnings("unchecked")
    public @Nullable N get(String s, int start, int end) {
        Object[] table = slots;
        int mask = table.length - 1;
        if (mask < 0) {
            return null;
        }
        int hash = TopicLevels.hash(s, start, end);
        int i = spread(hash) & mask;
        while (true) {
            Object slot = SLOT.getAcquire(table, i);
            if (slot == null) {
                return null;
            }
            if (slot != REMOVED) {
                String level = ((Keyed) slot).level();
                // String caches its hash: a cheap filter before comparing characters
                if (level.hashCode() == hash && TopicLevels.regionEquals(level, s, start, end)) {
                    return (N) slot;
                }
            }
            i = (i + 1) & mask;
        }
    }

    public @Nullable N get(String level) {
        return get(level, 0, level.length());
    }

    /** Calls {@code action} for every child of a snapshot; lock-free. */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super N> action) {
        Object[] table = slots;
        for (int i = 0; i < table.length; i++) {
            Object slot = SLOT.getAcquire(table, i);
            if (slot != null && slot != REMOVED) {
                action.accept((N) slot);
            }
        }
    }

    /** What {@link #forEach(Visit, Object, int)} calls for each child. */
    @FunctionalInterface
    public interface Visit<C, N> {
        void child(C context, N child, int position);
    }

    /**
     * Calls {@code visit} for every child of a snapshot, with a context and a position passed through; lock-free. With
     * a method reference on the context's class ({@code Walk::child}) nothing is allocated, unlike a capturing lambda
     * given to {@link #forEach(Consumer)}.
     */
    @SuppressWarnings("unchecked")
    public <C> void forEach(Visit<C, ? super N> visit, C context, int position) {
        Object[] table = slots;
        for (int i = 0; i < table.length; i++) {
            Object slot = SLOT.getAcquire(table, i);
            if (slot != null && slot != REMOVED) {
                visit.child(context, (N) slot, position);
            }
        }
    }

    /** Adds a child whose level is not in the table yet. Writers only. */
    public void put(N child) {
        if ((used + 1) * 4 > slots.length * 3) {
            rebuild(live + 1);
        }
        Object[] table = slots;
        int mask = table.length - 1;
        int i = spread(child.level().hashCode()) & mask;
        while (true) {
            Object slot = table[i];
            if (slot == null || slot == REMOVED) {
                if (slot == null) {
                    used++;
                }
                live++;
                SLOT.setRelease(table, i, child);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes this very child; returns whether it was there. Writers only. */
    public boolean remove(N child) {
        Object[] table = slots;
        int mask = table.length - 1;
        if (mask < 0) {
            return false;
        }
        int i = spread(child.level().hashCode()) & mask;
        while (true) {
            Object slot = table[i];
            if (slot == null) {
                return false;
            }
            if (slot == child) {
                SLOT.setRelease(table, i, REMOVED);
                live--;
                if (live == 0) {
                    slots = EMPTY;
                    used = 0;
                } else if (table.length > 8 && live * 8 < table.length) {
                    rebuild(live); // memory follows the children, not the churn
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /** Live children. Writers only (readers would see a count racing the table). */
    public int size() {
        return live;
    }

    public boolean isEmpty() {
        return live == 0;
    }

    private void rebuild(int children) {
        int capacity = 2;
        while (capacity < children * 2) {
            capacity <<= 1;
        }
        Object[] old = slots;
        Object[] table = new Object[capacity];
        for (Object slot : old) {
            if (slot != null && slot != REMOVED) {
                int i = spread(((Keyed) slot).level().hashCode()) & (capacity - 1);
                while (table[i] != null) {
                    i = (i + 1) & (capacity - 1);
                }
                table[i] = slot;
            }
        }
        used = live;
        slots = table; // the volatile write publishes the plain stores above
    }

    // Levels such as dev1, dev2, ... have consecutive String hashes; with linear probing those would form long runs
    // of occupied slots, so the hash is scrambled (Fibonacci hashing) before it picks a slot.
    private static int spread(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
