package org.gatehouse.recognition.internal.calibration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's calibration table, measured by the open-set benchmark ({@code -Dbench=openset}) on development data: for
 * each threshold on a grid, the per-comparison false-match rate of impostor pairs (score ≥ t) and the false-non-match
 * rate of genuine pairs (score &lt; t), and the comparison factor: how many independent comparisons one template
 * counts for, measured on the strangers (look-alikes make a stranger's comparisons correlated, so strangers were
 * accepted more often than 1 − (1 − FMR)^N predicts; 1 = independent). Read from {@code org/gatehouse/recognition/calibration/<model>.json} in this
 * bundle ({@link #resourceName}).
 */
public record Calibration(String modelId, String dataset, long impostorComparisons, long genuineComparisons,
                          double comparisonFactor, double[] thresholds, double[] falseMatchRate,
                          double[] falseNonMatchRate) {
    static final String FOLDER = "org/gatehouse/recognition/calibration/";

    public Calibration {
        if (thresholds.length < 2 || thresholds.length != falseMatchRate.length
                || thresholds.length != falseNonMatchRate.length) {
            throw new IllegalArgumentException("thresholds, falseMatchRate and falseNonMatchRate must be of one "
                    + "length (at least 2), not " + thresholds.length + ", " + falseMatchRate.length + ", "
                    + falseNonMatchRate.length);
        }
        for (int i = 1; i < thresholds.length; i++) {
            if (!(thresholds[i] > thresholds[i - 1])) {
                throw new IllegalArgumentException("thresholds must increase (at index " + i + ")");
            }
            if (falseMatchRate[i] > falseMatchRate[i - 1] + 1e-12
                    || falseNonMatchRate[i] < falseNonMatchRate[i - 1] - 1e-12) {
                throw new IllegalArgumentException("falseMatchRate must fall and falseNonMatchRate rise with the "
                        + "threshold (at index " + i + ")");
            }
        }
        if (!(comparisonFactor >= 1 && comparisonFactor <= 100)) {
            throw new IllegalArgumentException("comparisonFactor must be between 1 and 100, not " + comparisonFactor);
        }
        if (impostorComparisons <= 0 || genuineComparisons <= 0) {
            throw new IllegalArgumentException("impostorComparisons and genuineComparisons must be positive");
        }
    }

    /** The resource name of a model's calibration: its id with every character but letters, digits, . and - as _. */
    public static String resourceName(String modelId) {
        return FOLDER + modelId.replaceAll("[^A-Za-z0-9.-]", "_") + ".json";
    }

    /**
     * The calibration of {@code modelId} from {@code loader}.
     *
     * @throws IllegalStateException when it is missing, unreadable or made for another model (the message says which
     *                               file and what to do)
     */
    public static Calibration load(ClassLoader loader, String modelId) {
        String name = resourceName(modelId);
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("No calibration for face model '" + modelId + "' (" + name + "): the "
                        + "galleries' thresholds cannot be derived. Measure it with the open-set benchmark "
                        + "(bundles/recognition/README.md, -Dbench=openset -Dopenset.writeCalibration=true) and "
                        + "rebuild.");
            }
            Calibration c = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!c.modelId().equals(modelId)) {
                throw new IllegalStateException("The calibration " + name + " was measured for model '" + c.modelId()
                        + "', not for '" + modelId + "': its thresholds would be wrong. Measure this model's.");
            }
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("The calibration " + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads the benchmark's JSON (flat: strings, numbers, arrays of numbers). */
    public static Calibration parse(String json) {
        return new Calibration(text(json, "modelId"), text(json, "dataset"), (long) number(json, "impostorComparisons"),
                (long) number(json, "genuineComparisons"), json.contains("\"comparisonFactor\"")
                        ? number(json, "comparisonFactor") : 1.0, numbers(json, "thresholds"),
                numbers(json, "falseMatchRate"), numbers(json, "falseNonMatchRate"));
    }

    private static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no \"" + key + "\"");
        }
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no \"" + key + "\"");
        }
        return Double.parseDouble(m.group(1));
    }

    private static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no \"" + key + "\"");
        }
        List<Double> values = new ArrayList<>();
        for (String v : m.group(1).split(",")) {
            if (!v.isBlank()) {
                values.add(Double.parseDouble(v.trim()));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The smallest false-match rate the data can show (one impostor comparison). */
    public double floor() {
        return 1.0 / impostorComparisons;
    }
}
