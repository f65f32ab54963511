package org.gatehouse.visitor.ui;

import static org.gatehouse.visitor.ui.UiTexts.T;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;
import org.gatehouse.portal.api.QrCode;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;

/**
 * Issues a temporary pass (临时通行码) to an approved visitor: its window (the visit's by default), how many times it
 * opens (empty: the configured number) and the gates (none: every gate of the community). The code and its QR code
 * are shown once, as the API returns them, and kept nowhere: closing the dialog forgets them.
 */
final class PassDialog extends Dialog {
    private static final long serialVersionUID = 1L;

    private final PortalSession session;
    private final Doc visitor;
    private final Runnable issued;

    private final DateTimePicker validFrom = new DateTimePicker();
    private final DateTimePicker validUntil = new DateTimePicker();
    private final IntegerField maxUses = new IntegerField();
    private final MultiSelectComboBox<String> gates = new MultiSelectComboBox<>();
    private final Div error = new Div();
    private final VerticalLayout body = new VerticalLayout();
    private final Button issue = new Button(T.t("pass.issue"));
    private final Map<String, HasValidation> fields = new LinkedHashMap<>();

    /** @param issued run after a pass is issued (may be null) */
    PassDialog(PortalSession session, Doc visitor, Runnable issued) {
        this.session = session;
        this.visitor = visitor;
        this.issued = issued;
        setHeaderTitle(T.t("pass.title", visitor.text("name")));
        setWidth("min(640px, 96vw)");
        setId("pass-dialog");

        validFrom.setLabel(T.t("pass.validFrom"));
        validFrom.setId("pass-from");
        validFrom.setStep(Duration.ofMinutes(15));
        validFrom.setValue(Windows.local(visitor.text("expectedFrom"), session.zone()));
        validUntil.setLabel(T.t("pass.validUntil"));
        validUntil.setId("pass-until");
        validUntil.setStep(Duration.ofMinutes(15));
        validUntil.setValue(Windows.local(visitor.text("expectedUntil"), session.zone()));
        maxUses.setLabel(T.t("pass.maxUses"));
        maxUses.setId("pass-max-uses");
        maxUses.setMin(1);
        maxUses.setStepButtonsVisible(true);
        maxUses.setHelperText(T.t("pass.maxUsesHelp"));
        gates.setLabel(T.t("pass.gates"));
        gates.setId("pass-gates");
        gates.setItems(gateNames());
        gates.setHelperText(T.t("pass.gatesHelp"));
        error.setId("pass-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");

        fields.put("validFrom", validFrom);
        fields.put("validUntil", validUntil);
        fields.put("maxUses", maxUses);
        fields.put("gates", gates);
        for (HasValidation f : fields.values()) {
            f.setManualValidation(true);
            ((HasValue<?, ?>) f).addValueChangeListener(e -> f.setInvalid(false));
        }

        FormLayout form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("480px", 2));
        form.add(validFrom, validUntil, maxUses);
        form.add(gates, 2);
        body.setPadding(false);
        body.add(error, form);
        add(body);

        Button close = new Button(T.t("common.close"), e -> close());
        close.setId("pass-close");
        issue.setId("pass-issue");
        issue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        issue.addClickListener(e -> issue());
        getFooter().add(close, issue);
    }

    /** The gate names of the community's devices, for choosing; none when the caller may not list devices. */
    private List<String> gateNames() {
        LocalApi.Answer answer = session.get("/communities/" + visitor.text("communityId") + "/devices");
        if (!answer.ok()) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        Doc.list(answer.body()).forEach(d -> {
            if (!d.text("gate").isBlank()) {
                names.add(d.text("gate"));
            }
        });
        return List.copyOf(names);
    }

    private void issue() {
        error.setText("");
        fields.values().forEach(f -> f.setInvalid(false));
        LocalDateTime from = validFrom.getValue();
        LocalDateTime until = validUntil.getValue();
        if (from != null && until != null && !until.isAfter(from)) {
            validUntil.setErrorMessage(T.t("pass.untilNotAfterFrom"));
            validUntil.setInvalid(true);
            return;
        }
        Map<String, Object> request = PortalSession.json(
                "validFrom", Windows.iso(from, session.zone()),
                "validUntil", Windows.iso(until, session.zone()),
                "maxUses", maxUses.getValue(),
                "gates", gates.getValue().isEmpty() ? null : List.copyOf(new TreeSet<>(gates.getValue())));
        LocalApi.Answer answer = session.post("/visitors/" + visitor.text("id") + "/passes", request);
        if (!answer.ok()) {
            String message = answer.message() == null ? answer.code() : answer.message();
            String field = Windows.fieldNamed(message, fields.keySet());
            if (field != null) {
                fields.get(field).setErrorMessage(message);
                fields.get(field).setInvalid(true);
            } else {
                error.setText(message);
            }
            return;
        }
        show(Doc.of(answer.body()));
        if (issued != null) {
            issued.run();
        }
    }

    /** The issued pass: its code and QR code, this once. */
    private void show(Doc issuedPass) {
        Doc pass = issuedPass.doc("pass");
        String code = issuedPass.text("code");
        String qr = issuedPass.text("qr").isBlank() ? code : issuedPass.text("qr");
        body.removeAll();
        Paragraph once = new Paragraph(T.t("pass.shownOnce"));
        once.setId("pass-once");
        Span codeText = new Span(code);
        codeText.setId("pass-code");
        codeText.getStyle().set("font-size", "var(--lumo-font-size-xxxl)").set("font-weight", "600")
                .set("letter-spacing", "0.2em").set("font-family", "monospace");
        QrCode qrCode = new QrCode(qr);
        qrCode.setId("pass-qr");
        Span window = new Span(T.t("pass.validWindow",
                Windows.window(pass.text("validFrom"), pass.text("validUntil"), session.zone()),
                pass.number("maxUses")));
        window.setId("pass-window");
        body.add(once, codeText, qrCode, window);
        body.setHorizontalComponentAlignment(FlexComponent.Alignment.CENTER, codeText, qrCode);
        issue.setVisible(false);
        PortalSession.showDone(T.t("pass.issued", visitor.text("name")));
    }
}
