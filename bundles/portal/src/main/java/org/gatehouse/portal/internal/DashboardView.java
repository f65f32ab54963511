package org.gatehouse.portal.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gatehouse.core.api.LocalApi;
import org.gatehouse.portal.api.Chart;
import org.gatehouse.portal.api.Doc;
import org.gatehouse.portal.api.PortalSession;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * The home screen: today's passages in and out, open welfare alerts and cases, passages per hour today and per day
 * this week, and (for the city's administrators) the face gallery against the 100,000 filing line. Each figure comes
 * from the API as the user; a module that is not installed shows as "—".
 */
public class DashboardView extends VerticalLayout implements HasDynamicTitle {
    private static final long serialVersionUID = 1L;
    static final int FILING_LINE = 100_000;

    public DashboardView() {
        setPadding(true);
        PortalSession session = PortalSession.current();
        add(new H2(PortalTexts.T.t("dashboard.title")));
        if (session == null || session.community() == null) {
            add(new Span(PortalTexts.T.t("dashboard.noCommunity")));
            return;
        }
        ZoneId zone = session.zone();
        ZonedDateTime now = ZonedDateTime.now(zone);
        ZonedDateTime today = now.toLocalDate().atStartOfDay(zone);
        ZonedDateTime weekStart = today.minusDays(6);

        List<Doc> hours = session.list("/passages/counts", Map.of("communityId", session.community(),
                "from", today.toInstant().toString(), "to", today.plusDays(1).toInstant().toString(),
                "unit", "HOURS", "zone", zone.getId()));
        List<Doc> days = session.list("/passages/counts", Map.of("communityId", session.community(),
                "from", weekStart.toInstant().toString(), "to", today.plusDays(1).toInstant().toString(),
                "unit", "DAYS", "zone", zone.getId()));
        long in = hours.stream().mapToLong(d -> d.number("in")).sum();
        long out = hours.stream().mapToLong(d -> d.number("out")).sum();
        long denied = hours.stream().mapToLong(d -> d.number("denied")).sum();

        FlexLayout tiles = new FlexLayout();
        tiles.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        tiles.getStyle().set("gap", "var(--lumo-space-m)");
        tiles.add(tile("tile-in", PortalTexts.T.t("dashboard.in"), String.valueOf(in)),
                tile("tile-out", PortalTexts.T.t("dashboard.out"), String.valueOf(out)),
                tile("tile-denied", PortalTexts.T.t("dashboard.denied"), String.valueOf(denied)),
                tile("tile-alerts", PortalTexts.T.t("dashboard.openCases"), openCases(session)));
        add(tiles);

        Chart perHour = new Chart("bar").stacked(true);
        perHour.setId("chart-hours");
        List<String> hourLabels = new ArrayList<>();
        List<Long> inH = new ArrayList<>();
        List<Long> outH = new ArrayList<>();
        List<Long> deniedH = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            Instant start = today.plusHours(h).toInstant();
            Doc d = hours.stream().filter(x -> start.toString().equals(normal(x.text("period")))).findFirst()
                    .orElse(Doc.of(null));
            hourLabels.add(String.format("%02d", h));
            inH.add(d.number("in"));
            outH.add(d.number("out"));
            deniedH.add(d.number("denied"));
        }
        perHour.show(hourLabels, series(inH, outH, deniedH));
        add(new H3(PortalTexts.T.t("dashboard.perHour")), perHour);

        Chart perDay = new Chart("bar").stacked(true);
        perDay.setId("chart-days");
        List<String> dayLabels = new ArrayList<>();
        List<Long> inD = new ArrayList<>();
        List<Long> outD = new ArrayList<>();
        List<Long> deniedD = new ArrayList<>();
        DateTimeFormatter dayFormat = DateTimeFormatter.ofPattern("MM-dd E", session.locale());
        for (int i = 0; i < 7; i++) {
            LocalDate day = weekStart.toLocalDate().plusDays(i);
            Instant start = day.atStartOfDay(zone).toInstant();
            Doc d = days.stream().filter(x -> start.toString().equals(normal(x.text("period")))).findFirst()
                    .orElse(Doc.of(null));
            dayLabels.add(dayFormat.format(day));
            inD.add(d.number("in"));
            outD.add(d.number("out"));
            deniedD.add(d.number("denied"));
        }
        perDay.show(dayLabels, series(inD, outD, deniedD));
        add(new H3(PortalTexts.T.t("dashboard.perDay")), perDay);

        if (session.hasRole("city-admin")) {
            LocalApi.Answer templates = session.get("/privacy/templates");
            if (templates.ok()) {
                Doc quota = Doc.of(templates.body());
                long stored = quota.number("count");
                long line = quota.number("threshold") > 0 ? quota.number("threshold") : FILING_LINE;
                ProgressBar bar = new ProgressBar(0, line, Math.min(stored, line));
                bar.setId("gallery-bar");
                add(new H3(PortalTexts.T.t("dashboard.gallery")),
                        new Span(PortalTexts.T.t("dashboard.galleryText", stored, line)), bar);
            }
        }
    }

    /** An instant as the API wrote it, in the form Instant.toString() gives (for matching periods). */
    private static String normal(String iso) {
        try {
            return Instant.parse(iso).toString();
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private static List<Chart.Series> series(List<Long> in, List<Long> out, List<Long> denied) {
        return List.of(new Chart.Series(PortalTexts.T.t("dashboard.in"), in, "#1676f3"),
                new Chart.Series(PortalTexts.T.t("dashboard.out"), out, "#1aa36f"),
                new Chart.Series(PortalTexts.T.t("dashboard.denied"), denied, "#e8463b"));
    }

    private static String openCases(PortalSession session) {
        LocalApi.Answer answer = session.get("/welfare/cases", Map.of("community", session.community(),
                "status", "OPEN", "limit", "1000"));
        if (!answer.ok()) {
            return "—";
        }
        return String.valueOf(Doc.list(answer.body()).size());
    }

    private static Div tile(String id, String label, String value) {
        Div tile = new Div();
        tile.setId(id);
        tile.getStyle().set("padding", "var(--lumo-space-m)").set("min-width", "160px")
                .set("border-radius", "var(--lumo-border-radius-l)").set("background", "var(--lumo-contrast-5pct)");
        Span v = new Span(value);
        v.addClassName("value");
        v.getStyle().set("font-size", "var(--lumo-font-size-xxxl)").set("font-weight", "600").set("display", "block");
        tile.add(v, new Span(label));
        return tile;
    }

    @Override
    public String getPageTitle() {
        return PortalTexts.T.t("dashboard.title");
    }
}
