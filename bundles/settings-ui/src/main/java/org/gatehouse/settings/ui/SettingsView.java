package org.gatehouse.settings.ui;

import static org.gatehouse.settings.ui.UiTexts.T;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.gatehouse.api.service.AuditLog;
import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.Texts;
import org.gatehouse.settings.ui.SettingsCatalog.Definition;
import org.gatehouse.settings.ui.SettingsForm.FieldSpec;
import org.gatehouse.settings.ui.SettingsForm.Option;
import org.gatehouse.settings.ui.SettingsWriter.Outcome;
import org.gatehouse.settings.ui.SettingsWriter.Target;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.treegrid.TreeGrid;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * Settings (系统设置), the city administration's: every Gatehouse module's configurations as their metatype
 * definitions declare them, by module; a configuration's form generated from its attribute definitions (for a
 * factory PID its instances and a new one), each value checked against its definition, secrets never shown, and
 * the change written to ConfigurationAdmin once the audit log has recorded it.
 */
public class SettingsView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;

    /** A tree row: a module, or one of its configurations. */
    record Row(String module, Definition definition) {
        String name() {
            return definition == null ? module : definition.name();
        }
    }

    private final PortalSession session = PortalSession.current();
    private final transient MetaTypeService metatype = Services.get(MetaTypeService.class);
    private final transient ConfigurationAdmin configs = Services.get(ConfigurationAdmin.class);
    private final TreeGrid<Row> grid = new TreeGrid<>();
    private final VerticalLayout detail = new VerticalLayout();
    private final VerticalLayout formBox = new VerticalLayout();

    public SettingsView() {
        setSizeFull();
        add(new H2(T.t("settings.title")));
        if (session == null || !session.hasRole(Screens.CITY_ADMIN)) {
            add(new Paragraph(T.t("settings.notAllowed")));
            return;
        }
        List<String> missing = new ArrayList<>();
        if (metatype == null) {
            missing.add(T.t("service.metatype"));
        }
        if (configs == null) {
            missing.add(T.t("service.configAdmin"));
        }
        if (Services.get(AuditLog.class) == null) {
            missing.add(T.t("service.audit"));
        }
        if (!missing.isEmpty()) {
            Span message = new Span(T.t(metatype == null || configs == null ? "settings.missing" : "settings.noAudit",
                    String.join(", ", missing)));
            message.setId("settings-missing");
            message.getElement().getThemeList().add("badge error");
            add(message);
        }
        if (metatype == null || configs == null) {
            return;
        }
        grid.setId("settings");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addHierarchyColumn(Row::name).setHeader(T.t("settings.name")).setAutoWidth(true).setFlexGrow(1)
                .setTooltipGenerator(r -> r.definition() == null ? "" : r.definition().description());
        grid.addColumn(r -> r.definition() == null ? "" : r.definition().pid()
                + (r.definition().factory() ? " " + T.t("settings.factory") : ""))
                .setHeader(T.t("settings.pid")).setAutoWidth(true);
        grid.addColumn(r -> r.definition() == null ? "" : r.definition().description())
                .setHeader(T.t("settings.description")).setFlexGrow(2);
        grid.setSizeFull();
        grid.asSingleSelect().addValueChangeListener(e -> {
            if (e.getValue() != null && e.getValue().definition() != null) {
                open(e.getValue().definition());
            }
        });
        detail.setPadding(true);
        detail.add(new Paragraph(T.t("settings.choose")));
        formBox.setPadding(false);
        SplitLayout split = new SplitLayout(grid, detail);
        split.setSizeFull();
        split.setSplitterPosition(45);
        add(split);
        setFlexGrow(1, split);
        load();
    }

    private static String locale() {
        return Texts.currentLocale().toString();
    }

    private void load() {
        List<Definition> definitions = SettingsCatalog.list(Services.bundles(), metatype, locale());
        Map<String, List<Row>> byModule = new LinkedHashMap<>();
        for (Definition d : definitions) {
            byModule.computeIfAbsent(d.module(), m -> new ArrayList<>()).add(new Row(d.module(), d));
        }
        List<Row> modules = byModule.keySet().stream().map(m -> new Row(m, null)).toList();
        grid.setItems(modules, r -> r.definition() == null ? byModule.getOrDefault(r.module(), List.of()) : List.of());
        grid.expand(modules);
        if (definitions.isEmpty()) {
            detail.removeAll();
            detail.add(new Paragraph(T.t("settings.none")));
        }
    }

    // --- one configuration -----------------------------------------------------------------------------------------

    private ObjectClassDefinition definition(Definition d) {
        Bundle bundle = Services.bundle(d.bundleId());
        MetaTypeInformation info = bundle == null ? null : metatype.getMetaTypeInformation(bundle);
        return info == null ? null : SettingsCatalog.definition(info, d.pid(), locale());
    }

    private void open(Definition d) {
        open(d, null);
    }

    /** Shows {@code d}; for a factory PID with the form of instance {@code instancePid} when it is given. */
    private void open(Definition d, String instancePid) {
        detail.removeAll();
        formBox.removeAll();
        detail.add(new H3(d.name()));
        if (!d.description().isBlank()) {
            detail.add(new Paragraph(d.description()));
        }
        Span pid = new Span(T.t(d.factory() ? "settings.factoryPidIs" : "settings.pidIs", d.pid()));
        pid.getElement().getThemeList().add("badge contrast");
        detail.add(pid);
        ObjectClassDefinition ocd = definition(d);
        if (ocd == null) {
            detail.add(new Paragraph(T.t("settings.gone")));
            return;
        }
        SettingsWriter writer = new SettingsWriter(configs, null);
        if (d.factory()) {
            Grid<Configuration> instances = new Grid<>();
            instances.setId("settings-instances");
            instances.addThemeVariants(GridVariant.LUMO_COMPACT);
            instances.setAllRowsVisible(true);
            instances.addColumn(Configuration::getPid).setHeader(T.t("settings.instance")).setAutoWidth(true);
            instances.addColumn(SettingsView::instanceName).setHeader(T.t("settings.instanceName")).setFlexGrow(1);
            List<Configuration> items = List.of();
            try {
                items = writer.instances(d.pid());
            } catch (Exception e) {
                error(T.t("settings.readFailed", e.getMessage()));
            }
            instances.setItems(items);
            instances.asSingleSelect().addValueChangeListener(e -> {
                if (e.getValue() != null) {
                    showForm(d, ocd, Target.instance(e.getValue().getPid(), d.pid()), e.getValue().getProperties());
                }
            });
            items.stream().filter(c -> c.getPid().equals(instancePid)).findFirst()
                    .ifPresent(c -> instances.asSingleSelect().setValue(c));
            Button create = new Button(T.t("settings.new"), VaadinIcon.PLUS.create(), e -> {
                instances.asSingleSelect().clear();
                showForm(d, ocd, Target.create(d.pid()), null);
            });
            create.setId("settings-new");
            detail.add(new H4(T.t("settings.instances")), instances, create);
        } else {
            try {
                showForm(d, ocd, Target.single(d.pid()), writer.properties(d.pid()));
            } catch (Exception e) {
                error(T.t("settings.readFailed", e.getMessage()));
                return;
            }
        }
        detail.add(formBox);
    }

    /** An instance's {@code name}, if it has one that is no secret. */
    private static String instanceName(Configuration c) {
        Dictionary<String, Object> p = c.getProperties();
        Object name = p == null ? null : p.get("name");
        return name == null ? "" : SettingsForm.text(name);
    }

    private void showForm(Definition d, ObjectClassDefinition ocd, Target target, Dictionary<String, ?> properties) {
        formBox.removeAll();
        SettingsForm form = new SettingsForm(ocd, properties);
        formBox.add(new H4(target.creating() ? T.t("settings.newInstance")
                : target.factoryPid() != null ? T.t("settings.editing", target.pid()) : T.t("settings.values")));
        FormLayout layout = new FormLayout();
        layout.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("700px", 2));
        Map<String, Supplier<String>> readers = new LinkedHashMap<>();
        Map<String, Consumer<String>> problems = new LinkedHashMap<>();
        for (FieldSpec spec : form.fields()) {
            Component input = input(spec, readers);
            input.setId("setting-" + spec.id());
            problems.put(spec.id(), message -> {
                if (input instanceof HasValidation v) {
                    v.setErrorMessage(message);
                    v.setInvalid(message != null);
                }
            });
            layout.add(input);
        }
        Button save = new Button(T.t("settings.save"), VaadinIcon.CHECK.create(),
                e -> save(d, ocd, target, form, readers, problems));
        save.setId("settings-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        formBox.add(layout, new HorizontalLayout(save));
    }

    private static Component input(FieldSpec spec, Map<String, Supplier<String>> readers) {
        String help = spec.description();
        switch (spec.kind()) {
            case SECRET -> {
                PasswordField f = new PasswordField(spec.name());
                f.setPlaceholder(T.t(spec.set() ? "settings.secretSet" : "settings.secretNotSet"));
                f.setHelperText(join(help, T.t("settings.secretHint")));
                f.setWidthFull();
                readers.put(spec.id(), f::getValue);
                return f;
            }
            case BOOLEAN -> {
                Checkbox f = new Checkbox(spec.name(), "true".equalsIgnoreCase(spec.value().trim()));
                f.setHelperText(help);
                readers.put(spec.id(), () -> String.valueOf(f.getValue()));
                return f;
            }
            case INTEGER -> {
                IntegerField f = new IntegerField(spec.name());
                Integer value = integer(spec.value());
                if (value != null) {
                    f.setValue(value);
                }
                Integer min = integer(spec.min());
                Integer max = integer(spec.max());
                if (min != null) {
                    f.setMin(min);
                }
                if (max != null) {
                    f.setMax(max);
                }
                f.setHelperText(join(help, bounds(spec)));
                f.setWidthFull();
                readers.put(spec.id(), () -> f.getValue() == null ? "" : String.valueOf(f.getValue()));
                return f;
            }
            case LONG, DECIMAL -> {
                NumberField f = new NumberField(spec.name());
                Double value = decimal(spec.value());
                if (value != null) {
                    f.setValue(value);
                }
                Double min = decimal(spec.min());
                Double max = decimal(spec.max());
                if (min != null) {
                    f.setMin(min);
                }
                if (max != null) {
                    f.setMax(max);
                }
                if (spec.kind() == SettingsForm.Kind.LONG) {
                    f.setStep(1);
                }
                f.setHelperText(join(help, bounds(spec)));
                f.setWidthFull();
                readers.put(spec.id(), () -> f.getValue() == null ? ""
                        : BigDecimal.valueOf(f.getValue()).stripTrailingZeros().toPlainString());
                return f;
            }
            case CHOICE -> {
                Select<String> f = new Select<>();
                f.setLabel(spec.name());
                Map<String, String> labels = new LinkedHashMap<>();
                spec.options().forEach(o -> labels.put(o.value(), o.label()));
                f.setItems(labels.keySet());
                f.setItemLabelGenerator(v -> labels.getOrDefault(v, v));
                f.setEmptySelectionAllowed(!spec.required());
                f.setEmptySelectionCaption(T.t("settings.noChoice"));
                if (labels.containsKey(spec.value())) {
                    f.setValue(spec.value());
                }
                f.setHelperText(help);
                f.setWidthFull();
                readers.put(spec.id(), () -> f.getValue() == null ? "" : f.getValue());
                return f;
            }
            case LIST -> {
                TextField f = new TextField(spec.name());
                f.setValue(spec.value());
                String options = String.join(", ", spec.options().stream().map(Option::value).toList());
                f.setHelperText(join(help, options.isEmpty() ? T.t("settings.listHint")
                        : T.t("settings.listOptions", options)));
                f.setWidthFull();
                readers.put(spec.id(), f::getValue);
                return f;
            }
            default -> {
                TextField f = new TextField(spec.name());
                f.setValue(spec.value());
                f.setHelperText(help);
                f.setWidthFull();
                readers.put(spec.id(), f::getValue);
                return f;
            }
        }
    }

    private static String bounds(FieldSpec spec) {
        if (spec.min() != null && spec.max() != null) {
            return T.t("settings.between", spec.min(), spec.max());
        }
        if (spec.min() != null) {
            return T.t("settings.atLeast", spec.min());
        }
        return spec.max() == null ? "" : T.t("settings.atMost", spec.max());
    }

    private static String join(String a, String b) {
        return a.isBlank() ? b : b.isBlank() ? a : a + " " + b;
    }

    private static Integer integer(String text) {
        try {
            return text == null || text.isBlank() ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double decimal(String text) {
        try {
            return text == null || text.isBlank() ? null : Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // --- save ------------------------------------------------------------------------------------------------------

    private void save(Definition d, ObjectClassDefinition ocd, Target target, SettingsForm form,
                      Map<String, Supplier<String>> readers, Map<String, Consumer<String>> problems) {
        PortalSession now = PortalSession.current();
        if (now == null || !now.hasRole(Screens.CITY_ADMIN)) {
            error(T.t("settings.notAllowed"));
            return;
        }
        problems.values().forEach(p -> p.accept(null));
        Map<String, String> input = new LinkedHashMap<>();
        readers.forEach((id, reader) -> input.put(id, reader.get()));
        SettingsForm.Parsed parsed = form.parse(input);
        if (!parsed.ok()) {
            parsed.errors().forEach((id, problem) -> problems.get(id)
                    .accept(T.t(problem.key(), problem.args().toArray())));
            error(T.t("settings.fix", parsed.errors().size()));
            return;
        }
        // the services as they are now: the audit log may have gone since the screen opened
        SettingsWriter writer = new SettingsWriter(Services.get(ConfigurationAdmin.class), Services.get(AuditLog.class));
        Outcome outcome = writer.save(now.user(), target, form, parsed);
        if (!outcome.saved()) {
            if ("save.nothing".equals(outcome.problem())) {
                PortalSession.showDone(T.t("save.nothing"));
            } else {
                error(T.t(outcome.problem(), outcome.detail()));
            }
            return;
        }
        PortalSession.showDone(T.t("settings.saved", outcome.pid(), String.join(", ", outcome.keys())));
        if (d.factory()) {
            open(d, outcome.pid());
        } else {
            try {
                showForm(d, ocd, Target.single(d.pid()), writer.properties(d.pid()));
            } catch (Exception e) {
                error(T.t("settings.readFailed", e.getMessage()));
            }
        }
    }

    private static void error(String message) {
        PortalSession.showError(new LocalApi.Answer(409, Map.of("message", message)));
    }

    @Override
    public String getPageTitle() {
        return T.t("settings.title");
    }
}
