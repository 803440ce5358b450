package io.forgeone.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn by XChart into PNG files. */
final class Charts {

    private static final int WIDTH = 860;
    private static final int HEIGHT = 440;
    private static final Color[] COLORS = {new Color(0x4c78a8), new Color(0xf58518), new Color(0x54a24b),
        new Color(0xb279a2), new Color(0x9d755d)};

    private Charts() {
    }

    /**
     * A grouped bar chart: one group per category, one bar per series. Missing values (null) leave a gap.
     *
     * @param series name to one value per category
     * @return whether there was anything to draw (nothing is written otherwise)
     */
    static boolean bars(Path file, String title, String yTitle, boolean logarithmic, List<String> categories,
            Map<String, List<Double>> series) throws IOException {
        if (series.values().stream().flatMap(List::stream).noneMatch(v -> v != null && v > 0)) {
            return false;
        }
        // room for every category's name under its bars
        int width = Math.max(WIDTH, 170 * categories.size() + 260);
        CategoryChart chart = new CategoryChartBuilder().width(width).height(HEIGHT).title(title).yAxisTitle(yTitle)
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(logarithmic);
        styler.setLabelsVisible(true);
        styler.setLabelsFontColorAutomaticEnabled(false);
        styler.setLabelsFontColor(Color.DARK_GRAY);
        styler.setYAxisDecimalPattern("#,##0.##");
        style(styler);
        if (logarithmic) {
            // XChart's bars on a log axis need the axis' bounds given, as powers of ten around the data
            double min = series.values().stream().flatMap(List::stream).filter(v -> v != null && v > 0)
                    .mapToDouble(Double::doubleValue).min().orElse(1);
            double max = series.values().stream().flatMap(List::stream).filter(v -> v != null && v > 0)
                    .mapToDouble(Double::doubleValue).max().orElse(10);
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
            styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max * 1.2))));
        }
        int i = 0;
        for (Map.Entry<String, List<Double>> s : series.entrySet()) {
            List<Double> values = new ArrayList<>(s.getValue());
            if (values.stream().allMatch(v -> v == null)) {
                continue;
            }
            chart.addSeries(s.getKey(), categories, values).setFillColor(COLORS[i++ % COLORS.length]);
        }
        BitmapEncoder.saveBitmap(chart, withoutExtension(file), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    /**
     * Density: heap used after GC against the number of idle containers, the straight line through it out to the
     * 4 GiB heap, and the target.
     */
    static void density(Path file, Density d) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Heap used by idle containers (hello.wasm instantiated with WASI and gate)")
                .xAxisTitle("idle containers").yAxisTitle("heap used after full GC (MiB)").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (long[] s : d.samples()) {
            xs.add((double) s[0]);
            ys.add(s[1] / (1024.0 * 1024));
        }
        double base = ys.isEmpty() ? 0 : ys.get(0);
        XYSeries measured = chart.addSeries("measured", xs, ys);
        measured.setMarker(SeriesMarkers.CIRCLE);
        measured.setLineColor(COLORS[0]);
        measured.setMarkerColor(COLORS[0]);
        double fourGiB = 4096;
        double end = Math.max(d.in4GiB(), Targets.IDLE_CONTAINERS) * 1.05;
        XYSeries line = chart.addSeries("at " + Format.bytes(d.heapPerContainer()) + " each",
                List.of(0.0, end), List.of(base, base + end * d.heapPerContainer() / (1024 * 1024)));
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(COLORS[1]);
        XYSeries heap = chart.addSeries("4 GiB heap", List.of(0.0, end), List.of(fourGiB, fourGiB));
        heap.setMarker(SeriesMarkers.NONE);
        heap.setLineColor(Color.GRAY);
        XYSeries target = chart.addSeries("target: 10,000", List.of((double) Targets.IDLE_CONTAINERS,
                (double) Targets.IDLE_CONTAINERS), List.of(0.0, fourGiB * 1.1));
        target.setMarker(SeriesMarkers.NONE);
        target.setLineColor(COLORS[2]);
        BitmapEncoder.saveBitmap(chart, withoutExtension(file), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setAntiAlias(true);
    }

    /** XChart adds the extension itself. */
    private static String withoutExtension(Path file) {
        String name = file.toString();
        return name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    }

    /** An ordered map literal for the series of {@link #bars}. */
    static Map<String, List<Double>> series() {
        return new LinkedHashMap<>();
    }
}
