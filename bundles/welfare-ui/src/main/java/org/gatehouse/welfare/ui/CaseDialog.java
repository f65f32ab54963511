package org.gatehouse.welfare.ui;

import static org.gatehouse.welfare.ui.UiTexts.T;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.welfare.ui.Acknowledgements.Outcome;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;

/**
 * One welfare case as {@code GET /welfare/cases/{id}} shows it (that view is audited): what was raised and why, the
 * photo-free record of the person (name, age, flat, last passage, contacts) or of the flat (its members), the
 * evidence, who was told; then the acknowledgement of a visit (who went, when, the outcome, what they found) and
 * closing. Required fields are checked here first; what the API refuses is shown next to its field, or on top.
 */
final class CaseDialog extends Dialog {
    private static final long serialVersionUID = 1L;

    private final PortalSession session;
    private final Doc welfareCase;
    private final Runnable changed;
    private final Select<Outcome> outcome = new Select<>();
    private final TextArea note = new TextArea();
    private final TextField visitedBy = new TextField();
    private final DateTimePicker visitedAt = new DateTimePicker();
    private final Div error = new Div();

    CaseDialog(PortalSession session, Doc view, Runnable changed) {
        this.session = session;
        this.welfareCase = view.doc("welfareCase");
        this.changed = changed;
        String kind = welfareCase.text("kind");
        setHeaderTitle(T.t("kind." + kind));
        setId("alert-dialog");
        setWidth("min(900px, 96vw)");
        error.setId("alert-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");

        VerticalLayout body = new VerticalLayout();
        body.setPadding(false);
        body.add(error);
        FormLayout facts = facts();
        facts.add(line(T.t("case.status"), T.t("status." + welfareCase.text("status"))),
                line(T.t("case.raisedAt"), session.dateTime(welfareCase.text("raisedAt"))),
                line(T.t("case.since"), session.dateTime(welfareCase.text("since"))),
                line(T.t("case.dueAt"), session.dateTime(welfareCase.text("dueAt"))));
        Span message = line(T.t("case.message"), welfareCase.text("message"));
        facts.add(message);
        facts.setColspan(message, 2);
        if (welfareCase.has("purpose") && !welfareCase.text("purpose").isBlank()) {
            Span purpose = line(T.t("case.purpose"), welfareCase.text("purpose"));
            facts.add(purpose);
            facts.setColspan(purpose, 2);
        }
        body.add(facts);

        if (view.has("person")) {
            body.add(new H4(T.t("record.person")), person(view.doc("person")));
        } else if (view.has("flat")) {
            body.add(new H4(T.t("record.flat")), flat(view.doc("flat")));
        } else {
            body.add(new Span(T.t("record.none")));
        }

        body.add(new H4(T.t("case.evidence")));
        if (welfareCase.texts("evidence").isEmpty()) {
            body.add(new Span(T.t("case.noEvidence")));
        } else {
            UnorderedList evidence = new UnorderedList();
            evidence.setId("alert-evidence");
            welfareCase.texts("evidence").forEach(l -> evidence.add(new ListItem(l)));
            body.add(evidence);
        }
        if (!welfareCase.docs("escalations").isEmpty()) {
            body.add(new H4(T.t("case.escalations")), escalations());
        }
        if (welfareCase.has("outcome")) {
            body.add(new H4(T.t("case.visit")), visit());
        }
        if (welfareCase.has("closedAt")) {
            FormLayout closed = facts();
            closed.add(line(T.t("case.closedBy"), welfareCase.text("closedBy")),
                    line(T.t("case.closedAt"), session.dateTime(welfareCase.text("closedAt"))),
                    line(T.t("case.closeReason"), welfareCase.text("closeReason")));
            body.add(new H4(T.t("case.closed")), closed);
        }
        add(body);

        Button done = new Button(T.t("common.back"), e -> close());
        done.setId("alert-dialog-close");
        getFooter().add(done);
        if (!"CLOSED".equals(welfareCase.text("status"))) {
            VerticalLayout form = acknowledgeForm();
            form.setVisible(false);
            Button ack = new Button(T.t("ack.open"), e -> {
                form.setVisible(true);
                outcome.focus();
            });
            ack.setId("alert-ack");
            ack.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            body.add(form);
            getFooter().add(ack);
            if (Screens.CLOSE.stream().anyMatch(session::hasRole)) {
                TextField reason = new TextField(T.t("case.closeReason"));
                reason.setId("alert-close-reason");
                reason.setMaxLength(Acknowledgements.NOTE_MAX);
                reason.setWidthFull();
                Button closeCase = new Button(T.t("case.close"), e -> closeCase(reason.getValue()));
                closeCase.setId("alert-close");
                closeCase.addThemeVariants(ButtonVariant.LUMO_ERROR);
                HorizontalLayout closing = new HorizontalLayout(reason, closeCase);
                closing.setWidthFull();
                closing.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
                body.add(new H4(T.t("case.closing")), closing);
            }
        }
    }

    private static FormLayout facts() {
        FormLayout f = new FormLayout();
        f.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("520px", 2));
        return f;
    }

    /** A label and its value, read-only. */
    private static Span line(String label, String value) {
        Span l = new Span(label + ": ");
        l.getStyle().set("color", "var(--lumo-secondary-text-color)");
        Span v = new Span(value == null || value.isBlank() ? "—" : value);
        Span both = new Span(l, v);
        return both;
    }

    private Component person(Doc p) {
        FormLayout f = facts();
        f.setId("alert-person");
        String lastPassage = p.has("lastPassageAt")
                ? T.t("record.lastPassageText", p.text("lastPassageDoor").isBlank() ? "—" : p.text("lastPassageDoor"),
                        session.dateTime(p.text("lastPassageAt")))
                : T.t("record.noPassage");
        f.add(line(T.t("record.name"), p.text("name")),
                line(T.t("record.age"), p.has("age") ? String.valueOf(p.number("age")) : ""),
                line(T.t("record.flatNo"), p.text("flat")),
                line(T.t("record.phone"), p.text("phone")),
                line(T.t("record.lastPassage"), lastPassage),
                line(T.t("record.care"), p.texts("careFlags").stream().map(c -> T.t("care." + c))
                        .collect(Collectors.joining("、"))));
        return f;
    }

    private Component flat(Doc flat) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        box.add(line(T.t("record.flatNo"), flat.text("flat")));
        Grid<Doc> members = new Grid<>();
        members.setId("alert-members");
        members.addThemeVariants(GridVariant.LUMO_COMPACT);
        members.setAllRowsVisible(true);
        members.addColumn(m -> m.text("name")).setHeader(T.t("record.name")).setAutoWidth(true);
        members.addColumn(m -> T.t("role." + m.text("role"))).setHeader(T.t("record.role")).setAutoWidth(true);
        members.setItems(flat.docs("members"));
        box.add(members);
        return box;
    }

    private Component escalations() {
        Grid<Doc> told = new Grid<>();
        told.setId("alert-escalations");
        told.addThemeVariants(GridVariant.LUMO_COMPACT);
        told.setAllRowsVisible(true);
        told.addColumn(e -> e.number("level") + 1).setHeader(T.t("escalation.level")).setAutoWidth(true)
                .setFlexGrow(0);
        told.addColumn(e -> e.text("role")).setHeader(T.t("escalation.role")).setAutoWidth(true);
        told.addColumn(e -> e.text("name")).setHeader(T.t("escalation.name")).setAutoWidth(true);
        told.addColumn(e -> e.text("channel")).setHeader(T.t("escalation.channel")).setAutoWidth(true);
        told.addColumn(e -> session.dateTime(e.text("at"))).setHeader(T.t("escalation.at")).setAutoWidth(true);
        told.setItems(welfareCase.docs("escalations"));
        return told;
    }

    private Component visit() {
        FormLayout f = facts();
        f.setId("alert-visit");
        Span finding = line(T.t("ack.note"), welfareCase.text("finding"));
        f.add(line(T.t("ack.outcome"), T.t("outcome." + welfareCase.text("outcome"))),
                line(T.t("ack.visitedBy"), welfareCase.text("visitedBy")),
                line(T.t("ack.visitedAt"), session.dateTime(welfareCase.text("visitedAt"))), finding);
        f.setColspan(finding, 2);
        return f;
    }

    private VerticalLayout acknowledgeForm() {
        outcome.setLabel(T.t("ack.outcome"));
        outcome.setId("alert-outcome");
        outcome.setItems(Outcome.values());
        outcome.setItemLabelGenerator(o -> T.t("outcome." + o.name()));
        outcome.setRequiredIndicatorVisible(true);
        outcome.setPlaceholder(T.t("ack.choose"));
        note.setLabel(T.t("ack.note"));
        note.setId("alert-note");
        note.setHelperText(T.t("ack.noteHelp"));
        note.setMaxLength(Acknowledgements.NOTE_MAX);
        note.setWidthFull();
        visitedBy.setLabel(T.t("ack.visitedBy"));
        visitedBy.setId("alert-visited-by");
        visitedBy.setPlaceholder(session.user());
        visitedBy.setMaxLength(Acknowledgements.VISITED_BY_MAX);
        visitedAt.setLabel(T.t("ack.visitedAt"));
        visitedAt.setId("alert-visited-at");
        visitedAt.setHelperText(T.t("ack.visitedAtHelp"));
        visitedAt.setMax(LocalDateTime.now(session.zone()).plusMinutes(5));
        visitedAt.setStep(java.time.Duration.ofMinutes(5));
        FormLayout f = facts();
        f.add(outcome, visitedBy, visitedAt, note);
        f.setColspan(note, 2);
        Button save = new Button(T.t("ack.save"), e -> acknowledge());
        save.setId("alert-ack-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        VerticalLayout form = new VerticalLayout(new H4(T.t("ack.title")), f, save);
        form.setPadding(false);
        form.setId("alert-ack-form");
        return form;
    }

    private void acknowledge() {
        clearErrors();
        Map<String, String> problems = Acknowledgements.problems(outcome.getValue(), note.getValue(),
                visitedAt.getValue(), session.zone(), Instant.now());
        if (!problems.isEmpty()) {
            problems.forEach((field, key) -> invalid(field(field), T.t(key)));
            return;
        }
        LocalApi.Answer answer = session.post("/welfare/cases/" + welfareCase.text("alertId") + "/acknowledge",
                Acknowledgements.body(outcome.getValue(), note.getValue(), visitedBy.getValue(),
                        visitedAt.getValue() == null ? null : visitedAt.getValue().truncatedTo(ChronoUnit.MINUTES),
                        session.zone()));
        if (!answer.ok()) {
            showRefusal(answer);
            return;
        }
        PortalSession.showDone(T.t("ack.saved"));
        changed.run();
        close();
    }

    private void closeCase(String reason) {
        clearErrors();
        LocalApi.Answer answer = session.post("/welfare/cases/" + welfareCase.text("alertId") + "/close",
                PortalSession.json("reason", reason == null || reason.isBlank() ? null : reason.strip()));
        if (!answer.ok()) {
            error.setText(answer.message());
            PortalSession.showError(answer);
            return;
        }
        PortalSession.showDone(T.t("case.closedDone"));
        changed.run();
        close();
    }

    private HasValidation field(String name) {
        return switch (name) {
            case Acknowledgements.OUTCOME -> outcome;
            case Acknowledgements.NOTE -> note;
            default -> visitedAt;
        };
    }

    private static void invalid(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }

    private void clearErrors() {
        error.setText("");
        outcome.setInvalid(false);
        note.setInvalid(false);
        visitedAt.setInvalid(false);
    }

    /** The API's message next to the field it is about (its codes and texts name them), else on top. */
    private void showRefusal(LocalApi.Answer answer) {
        String message = answer.message() == null ? answer.code() : answer.message();
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("finding") || lower.contains("所见")) {
            invalid(note, message);
        } else if (lower.contains("outcome") || lower.contains("走访结果")) {
            invalid(outcome, message);
        } else if (lower.contains("visit") || lower.contains("走访时间")) {
            invalid(visitedAt, message);
        } else {
            error.setText(message);
        }
    }
}
