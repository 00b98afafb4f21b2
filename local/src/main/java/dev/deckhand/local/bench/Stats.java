package dev.deckhand.local.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians, percentiles and spreads of repeated measurements, in milliseconds. */
record Stats(List<Double> sorted) {

    static Stats of(List<Double> values) {
        List<Double> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return new Stats(List.copyOf(copy));
    }

    double percentile(double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    double median() {
        return percentile(50);
    }

    double min() {
        return sorted.isEmpty() ? Double.NaN : sorted.get(0);
    }

    double max() {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    /** {@code 812 (790-860)}: median and range. */
    String medianAndRange() {
        return String.format("%.0f (%.0f-%.0f)", median(), min(), max());
    }
}
