package org.gatehouse.portal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

import elemental.json.Json;
import elemental.json.JsonArray;
import elemental.json.JsonObject;

/**
 * A bar or line chart drawn by Chart.js (MIT, from npm at build time, inside the portal's frontend): labels along
 * the x axis and one or more series. No commercial chart component is needed.
 */
@Tag("gatehouse-chart")
@NpmPackage(value = "chart.js", version = "4.4.9")
@JsModule("./gatehouse-chart.js")
public class Chart extends Component implements HasSize {
    private static final long serialVersionUID = 1L;

    /** One series: its label, its values (one per x label) and a CSS colour. */
    public record Series(String label, List<? extends Number> values, String color) {
    }

    private final String type;
    private boolean stacked;
    private List<String> labels = List.of();
    private final List<Series> series = new ArrayList<>();

    /** @param type {@code bar} or {@code line} */
    public Chart(String type) {
        this.type = type;
        setWidthFull();
        setHeight("260px");
    }

    public Chart stacked(boolean value) {
        this.stacked = value;
        return this;
    }

    /** Sets what the chart shows and draws it. */
    public void show(List<String> xLabels, List<Series> data) {
        this.labels = List.copyOf(xLabels);
        series.clear();
        series.addAll(data);
        JsonObject config = Json.createObject();
        config.put("type", type);
        config.put("stacked", stacked);
        JsonArray l = Json.createArray();
        for (int i = 0; i < labels.size(); i++) {
            l.set(i, labels.get(i));
        }
        config.put("labels", l);
        JsonArray sets = Json.createArray();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            JsonObject set = Json.createObject();
            set.put("label", s.label());
            set.put("color", s.color());
            JsonArray values = Json.createArray();
            for (int j = 0; j < s.values().size(); j++) {
                values.set(j, s.values().get(j).doubleValue());
            }
            set.put("data", values);
            sets.set(i, set);
        }
        config.put("datasets", sets);
        getElement().setPropertyJson("config", config);
    }

    /** What is shown now, as label → values per series (for tests and the screen's table fallback). */
    public Map<String, List<? extends Number>> data() {
        Map<String, List<? extends Number>> out = new LinkedHashMap<>();
        series.forEach(s -> out.put(s.label(), s.values()));
        return out;
    }

    public List<String> labels() {
        return labels;
    }
}
