package org.gatehouse.recognition.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** DET plot of the open-set benchmark: FNIR against FPIR, both log axes, PNG and SVG (JFreeChart, bench only). */
final class DetPlot {

    private DetPlot() {
    }

    static final double MIN = 1e-4;

    static void write(OpenSetMetrics m, int devN, double rule, double[] grid, double[] fit, Path png, Path svg,
                      String dataset) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series(String.format(Locale.ROOT, "measured: %d strangers vs gallery of %d", m.strangerSearches(),
                devN), m, grid, -1));
        data.addSeries(series(String.format(Locale.ROOT, "1-(1-FMR)^N, N = %d (check)", devN), m, grid, devN));
        data.addSeries(series("N = 10,000, measured FMR", m, grid, 10_000));
        data.addSeries(series("N = 100,000, measured FMR", m, grid, 100_000));
        if (fit != null) {
            data.addSeries(fitted("N = 10,000, FMR tail fit", m, grid, 10_000, fit));
            data.addSeries(fitted("N = 100,000, FMR tail fit", m, grid, 100_000, fit));
        }

        LogAxis x = new LogAxis("FPIR (strangers let in as someone)");
        x.setRange(MIN, 1);
        x.setBase(10);
        x.setSmallestValue(MIN);
        x.setTickUnit(new NumberTickUnit(1)); // one label a decade
        x.setMinorTickCount(9);
        x.setMinorTickMarksVisible(true);
        x.setNumberFormatOverride(new java.text.DecimalFormat("0.####%"));
        LogAxis y = new LogAxis("FNIR (residents not recognised, rank 1)");
        y.setRange(1e-2, 1);
        y.setBase(10);
        y.setSmallestValue(1e-2);
        y.setTickUnit(new NumberTickUnit(1));
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.##%"));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true); // one SVG path a curve, not a line element a segment
        Color[] colors = {new Color(0x1f77b4), new Color(0x9aa0a6), new Color(0xff7f0e), new Color(0xd62728),
            new Color(0xff7f0e), new Color(0xd62728)};
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesStroke(i, i == 0 ? new BasicStroke(2.5f) : i < 4
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {1.5f, 3f}, 0f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        double fp = m.fpir(rule);
        double fn = m.fnir(rule);
        if (fp > 0 && fn > 0) {
            XYPointerAnnotation a = new XYPointerAnnotation(String.format(Locale.ROOT, "t = %.2f (current rule)", rule),
                    fp, fn, Math.PI * 0.75);
            a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            plot.addAnnotation(a);
        }
        for (double t : new double[] {0.35, 0.40, 0.50, 0.55}) {
            double p = m.fpir(t);
            double q = m.fnir(t);
            if (p >= MIN && q >= 1e-2) {
                XYPointerAnnotation a = new XYPointerAnnotation(String.format(Locale.ROOT, "%.2f", t), p, q,
                        Math.PI * 1.75);
                a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                plot.addAnnotation(a);
            }
        }
        JFreeChart chart = new JFreeChart("Open-set identification, " + dataset,
                new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 18)); // room for the last tick label
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "FPIR(N) = 1-(1-FMR)^N (independent comparisons "
                        + "assumed); %,d impostor comparisons: FMR below %.1e not measured (dashed curves stop), dotted ="
                        + " exponential tail fit of FMR", m.impostorComparisons(), m.smallestMeasurableFmr()),
                new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        int w = 900;
        int h = 640;
        ChartUtils.saveChartAsPNG(png.toFile(), chart, w, h);
        SVGGraphics2D g2 = new SVGGraphics2D(w, h);
        g2.setGeomDoubleConverter(v -> String.format(Locale.ROOT, "%.1f", v)); // 0.1 px is enough, keeps the file small
        chart.draw(g2, new Rectangle2D.Double(0, 0, w, h));
        SVGUtils.writeToSVG(svg.toFile(), g2.getSVGElement());
    }

    /** FNIR against FPIR(N) with FMR from the fitted tail ln FMR = a + b t (only where the fit is below 1e-2). */
    static XYSeries fitted(String name, OpenSetMetrics m, double[] grid, int n, double[] fit) {
        XYSeries s = new XYSeries(name, false, true);
        for (double t : grid) {
            double fmr = Math.exp(fit[0] + fit[1] * t);
            double fp = OpenSetMetrics.fpirExtrapolated(fmr, n);
            double fn = m.fnir(t);
            if (fmr <= 1e-2 && fp >= MIN && fn >= 1e-2) {
                addIfNew(s, fp, fn);
            }
        }
        return s;
    }

    /** FNIR against FPIR over the grid: measured FPIR (n &lt; 0) or extrapolated from FMR to a gallery of n. */
    static XYSeries series(String name, OpenSetMetrics m, double[] grid, int n) {
        XYSeries s = new XYSeries(name, false, true);
        for (double t : grid) {
            double fmr = m.fmr(t);
            double fp = n < 0 ? m.fpir(t) : OpenSetMetrics.fpirExtrapolated(fmr, n);
            double fn = m.fnir(t);
            if (fp >= MIN && fn >= 1e-2 && (n < 0 || fmr > 0)) {
                addIfNew(s, fp, fn);
            }
        }
        return s;
    }

    /** Adds the point unless it repeats the last one (the step curves repeat points over many thresholds). */
    static void addIfNew(XYSeries s, double x, double y) {
        int n = s.getItemCount();
        if (n == 0 || s.getX(n - 1).doubleValue() != x || s.getY(n - 1).doubleValue() != y) {
            s.add(x, y);
        }
    }
}
