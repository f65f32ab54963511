package org.gatehouse.integration.internal.shell;

import static org.gatehouse.integration.internal.Messages.MESSAGES;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.TextTable;
import org.gatehouse.integration.internal.TargetBoard;
import org.gatehouse.integration.internal.TargetStatus;

/**
 * {@code gatehouse:integration-targets} — the feed targets at a glance (gatehouse:status has no plug-in point for
 * modules; its Consumers section shows the same targets' consumers by route id).
 */
@Command(scope = "gatehouse", name = "integration-targets",
        description = "Shows each integration target: state, events behind, last success, last error")
@Service
public class IntegrationTargetsCommand implements Action {
    @Reference
    TargetBoard board;

    @Override
    public Object execute() {
        System.out.print(render(board, ShellCaller.get().scope(), Locale.getDefault()));
        return null;
    }

    public static String render(TargetBoard board, org.gatehouse.api.service.Scope scope, Locale locale) {
        var views = board.views(scope);
        if (views.isEmpty()) {
            return MESSAGES.get(locale, "targets.none") + System.lineSeparator();
        }
        TextTable table = new TextTable();
        for (String h : MESSAGES.get(locale, "targets.header").split("\\|")) {
            table.column(h);
        }
        StringBuilder notes = new StringBuilder();
        for (TargetStatus.View v : views) {
            table.row(v.name(), v.kind(), MESSAGES.get(locale, "state." + v.state()), behind(v.backlog()),
                    v.lastSuccessAt() == null ? "-" : v.lastSuccessAt(),
                    v.failingSince() == null ? "-" : v.failingSince(), v.refusals(), v.destination());
            if (v.configError() != null) {
                notes.append(MESSAGES.get(locale, "targets.configError", v.name(), v.configError()))
                        .append(System.lineSeparator());
            } else if (v.lastError() != null) {
                notes.append(MESSAGES.get(locale, "targets.lastError", v.name(), v.lastErrorAt(), v.lastError()))
                        .append(System.lineSeparator());
            }
        }
        return table.render() + notes;
    }

    private static String behind(Map<String, Long> backlog) {
        if (backlog.isEmpty()) {
            return "-";
        }
        return backlog.entrySet().stream().map(e -> e.getKey() + " " + (e.getValue() < 0 ? "?" : e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
