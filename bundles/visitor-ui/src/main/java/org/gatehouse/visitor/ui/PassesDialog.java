package org.gatehouse.visitor.ui;

import static org.gatehouse.visitor.ui.UiTexts.T;

import java.time.Instant;
import java.util.Map;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;

/**
 * The passes of one visitor ({@code GET /visitors/{id}/passes}: never their codes) with their window, uses, gates and
 * state; the office revokes a pass (the visitor's face is forgotten with it) and issues a new one.
 */
final class PassesDialog extends Dialog {
    private static final long serialVersionUID = 1L;

    private final PortalSession session;
    private final Doc visitor;
    private final Grid<Doc> grid = new Grid<>();
    private final Paragraph none = new Paragraph(T.t("pass.none"));

    PassesDialog(PortalSession session, Doc visitor, boolean manage) {
        this.session = session;
        this.visitor = visitor;
        setHeaderTitle(T.t("pass.listTitle", visitor.text("name")));
        setWidth("min(900px, 96vw)");
        setId("passes-dialog");

        grid.setId("passes");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.addColumn(p -> Windows.window(p.text("validFrom"), p.text("validUntil"), session.zone()))
                .setHeader(T.t("pass.window")).setAutoWidth(true);
        grid.addColumn(p -> p.number("uses") + " / " + p.number("maxUses")).setHeader(T.t("pass.uses"))
                .setAutoWidth(true);
        grid.addColumn(p -> p.texts("gates").isEmpty()
                ? (p.text("buildingId").isBlank() ? T.t("pass.allGates") : T.t("pass.buildingGates"))
                : String.join("、", p.texts("gates"))).setHeader(T.t("pass.gates")).setAutoWidth(true);
        grid.addColumn(p -> T.t("passState." + Windows.passState(p.has("revokedAt"), p.number("uses"),
                p.number("maxUses"), p.text("validFrom"), p.text("validUntil"), Instant.now()))).setHeader(T.t("pass.state"))
                .setAutoWidth(true);
        grid.addColumn(p -> session.dateTime(p.text("revokedAt"))).setHeader(T.t("pass.revokedAt"))
                .setAutoWidth(true);
        if (manage) {
            grid.addComponentColumn(p -> {
                Button revoke = new Button(T.t("pass.revoke"), e -> confirmRevoke(p));
                revoke.addClassName("pass-revoke");
                revoke.setId("pass-revoke-" + p.text("id"));
                revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
                revoke.setEnabled(!p.has("revokedAt"));
                return revoke;
            }).setAutoWidth(true).setFlexGrow(0);
        }
        none.setId("passes-none");
        add(none, grid);

        Button close = new Button(T.t("common.close"), e -> close());
        close.setId("passes-close");
        getFooter().add(close);
        if (manage && "APPROVED".equals(visitor.text("status"))) {
            Button issue = new Button(T.t("pass.issue"), e -> new PassDialog(session, visitor, this::reload).open());
            issue.setId("pass-new");
            issue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            getFooter().add(issue);
        }
        reload();
    }

    private void reload() {
        var passes = Windows.newestFirst(session.list("/visitors/" + visitor.text("id") + "/passes", Map.of()),
                p -> p.text("validFrom"));
        grid.setItems(passes);
        none.setVisible(passes.isEmpty());
    }

    private void confirmRevoke(Doc pass) {
        ConfirmDialog d = new ConfirmDialog();
        d.setId("pass-revoke-confirm");
        d.setHeader(T.t("common.areYouSure"));
        d.setText(T.t("pass.revokeConfirm", visitor.text("name")));
        d.setCancelable(true);
        d.setCancelText(T.t("common.cancel"));
        d.setConfirmText(T.t("pass.revoke"));
        d.setConfirmButtonTheme("error primary");
        d.addConfirmListener(e -> {
            LocalApi.Answer a = session.post("/visitors/" + visitor.text("id") + "/passes/" + pass.text("id")
                    + "/revoke", null);
            if (a.ok()) {
                PortalSession.showDone(T.t("pass.revoked"));
            } else {
                PortalSession.showError(a);
            }
            reload();
        });
        d.open();
    }
}
