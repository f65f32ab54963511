package org.gatehouse.visitor.ui;

import static org.gatehouse.visitor.ui.UiTexts.T;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextField;

/**
 * Registers a visitor for a household of the community (访客登记): required fields are checked here before anything
 * is sent; what the API refuses is shown next to the field it names, or at the top; one call stores the visitor or
 * nothing.
 */
final class VisitorEditor extends Dialog {
    private static final long serialVersionUID = 1L;
    /** The window a new registration starts with: from now, this long. */
    static final Duration DEFAULT_WINDOW = Duration.ofHours(4);

    private final PortalSession session;
    private final Runnable saved;

    private final ComboBox<Doc> household = new ComboBox<>();
    private final TextField name = new TextField();
    private final TextField phone = new TextField();
    private final TextField purpose = new TextField();
    private final DateTimePicker expectedFrom = new DateTimePicker();
    private final DateTimePicker expectedUntil = new DateTimePicker();
    private final Checkbox preApproved = new Checkbox();
    private final Div error = new Div();
    /** The form's fields by the API's field names (for a refusal naming one). */
    private final Map<String, HasValidation> fields = new LinkedHashMap<>();

    VisitorEditor(PortalSession session, List<Doc> households, Runnable saved) {
        this.session = session;
        this.saved = saved;
        setHeaderTitle(T.t("visitors.register"));
        setWidth("min(720px, 96vw)");
        setId("visitor-editor");

        household.setLabel(T.t("visitor.household"));
        household.setItems(households);
        household.setItemLabelGenerator(h -> h.text("name"));
        household.setId("visitor-household");
        household.setRequiredIndicatorVisible(true);
        name.setLabel(T.t("visitor.name"));
        name.setId("visitor-name");
        name.setMaxLength(100);
        name.setRequiredIndicatorVisible(true);
        phone.setLabel(T.t("visitor.phone"));
        phone.setId("visitor-phone");
        phone.setMaxLength(30);
        purpose.setLabel(T.t("visitor.purpose"));
        purpose.setId("visitor-purpose");
        purpose.setMaxLength(200);
        LocalDateTime now = LocalDateTime.now(session.zone()).truncatedTo(ChronoUnit.MINUTES);
        expectedFrom.setLabel(T.t("visitor.expectedFrom"));
        expectedFrom.setId("visitor-from");
        expectedFrom.setStep(Duration.ofMinutes(15));
        expectedFrom.setRequiredIndicatorVisible(true);
        expectedFrom.setValue(now);
        expectedUntil.setLabel(T.t("visitor.expectedUntil"));
        expectedUntil.setId("visitor-until");
        expectedUntil.setStep(Duration.ofMinutes(15));
        expectedUntil.setRequiredIndicatorVisible(true);
        expectedUntil.setValue(now.plus(DEFAULT_WINDOW));
        preApproved.setLabel(T.t("visitor.preApproved"));
        preApproved.setId("visitor-preapproved");
        error.setId("visitor-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");

        fields.put("hostHouseholdId", household);
        fields.put("name", name);
        fields.put("phone", phone);
        fields.put("purpose", purpose);
        fields.put("expectedFrom", expectedFrom);
        fields.put("expectedUntil", expectedUntil);
        for (HasValidation f : fields.values()) {
            // the form decides when a field is invalid; a changed value clears its message
            f.setManualValidation(true);
            ((HasValue<?, ?>) f).addValueChangeListener(e -> f.setInvalid(false));
        }

        FormLayout form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("520px", 2));
        form.add(household, 2);
        form.add(name, phone);
        form.add(purpose, 2);
        form.add(expectedFrom, expectedUntil);
        form.add(preApproved, 2);
        add(error, form);

        Button cancel = new Button(T.t("common.cancel"), e -> close());
        cancel.setId("visitor-cancel");
        Button save = new Button(T.t("common.save"), e -> save());
        save.setId("visitor-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(cancel, save);
    }

    /** Checks the required fields here, then sends the registration; a refusal is shown next to its field. */
    private void save() {
        clearErrors();
        boolean ok = true;
        ok &= required(household, household.getValue() != null);
        ok &= required(name, !name.getValue().isBlank());
        ok &= required(expectedFrom, expectedFrom.getValue() != null);
        ok &= required(expectedUntil, expectedUntil.getValue() != null);
        if (expectedFrom.getValue() != null && expectedUntil.getValue() != null
                && !expectedUntil.getValue().isAfter(expectedFrom.getValue())) {
            invalid(expectedUntil, T.t("visitor.untilNotAfterFrom"));
            ok = false;
        }
        if (!ok) {
            return;
        }
        Map<String, Object> body = PortalSession.json(
                "name", name.getValue().trim(),
                "phone", phone.getValue().isBlank() ? null : phone.getValue().trim(),
                "hostHouseholdId", household.getValue().text("id"),
                "purpose", purpose.getValue().isBlank() ? null : purpose.getValue().trim(),
                "expectedFrom", Windows.iso(expectedFrom.getValue(), session.zone()),
                "expectedUntil", Windows.iso(expectedUntil.getValue(), session.zone()),
                "preApproved", preApproved.getValue() ? Boolean.TRUE : null);
        LocalApi.Answer answer = session.post("/visitors", body);
        if (!answer.ok()) {
            showRefusal(answer);
            return;
        }
        Doc created = Doc.of(answer.body());
        PortalSession.showDone(T.t("visitor.registered", created.text("name"),
                T.t("status." + created.text("status"))));
        close();
        saved.run();
    }

    private boolean required(HasValidation field, boolean present) {
        if (!present) {
            invalid(field, T.t("common.required"));
        }
        return present;
    }

    private static void invalid(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }

    private void clearErrors() {
        error.setText("");
        fields.values().forEach(f -> f.setInvalid(false));
    }

    /** The API's message next to the field it names (e.g. "The field 'name' is required"), else on top. */
    private void showRefusal(LocalApi.Answer answer) {
        String message = answer.message() == null ? answer.code() : answer.message();
        String field = Windows.fieldNamed(message, fields.keySet());
        if (field != null) {
            invalid(fields.get(field), message);
        } else {
            error.setText(message);
        }
    }
}
