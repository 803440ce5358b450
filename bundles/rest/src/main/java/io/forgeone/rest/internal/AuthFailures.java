package io.forgeone.rest.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed authentications per remote address in a sliding window. An address with {@code max} failures inside the
 * window is refused (429) until its oldest failure leaves the window. At most {@value #MAX_ADDRESSES} addresses are
 * tracked, so a flood from many addresses costs bounded memory.
 */
final class AuthFailures {
    static final int MAX_ADDRESSES = 10_000;

    private final int max;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>();

    AuthFailures(int max, Duration window, LongSupplier nanoTime) {
        this.max = max;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** How long {@code address} is still refused, or {@link Duration#ZERO} when it is not. */
    synchronized Duration refusedFor(String address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        expire(times, now);
        if (times.isEmpty()) {
            failures.remove(address);
            return Duration.ZERO;
        }
        if (times.size() < max) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(1, times.peekFirst() + windowNanos - now));
    }

    /** Records a failure; returns how many failures {@code address} now has in the window. */
    synchronized int fail(String address) {
        long now = nanoTime.getAsLong();
        Deque<Long> times = failures.remove(address);
        if (times == null) {
            times = new ArrayDeque<>();
            if (failures.size() >= MAX_ADDRESSES) {
                purge(now);
            }
        }
        expire(times, now);
        times.addLast(now);
        while (times.size() > max) {
            times.removeFirst();
        }
        failures.put(address, times);
        return times.size();
    }

    int max() {
        return max;
    }

    private void expire(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
            times.removeFirst();
        }
    }

    private void purge(long now) {
        for (Iterator<Deque<Long>> it = failures.values().iterator(); it.hasNext();) {
            Deque<Long> times = it.next();
            expire(times, now);
            if (times.isEmpty()) {
                it.remove();
            }
        }
        // still full: forget the addresses seen longest ago (insertion order is last-failure order)
        Iterator<String> oldest = failures.keySet().iterator();
        while (failures.size() >= MAX_ADDRESSES && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
