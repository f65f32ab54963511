package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.Messages.MESSAGES;

import java.util.List;
import java.util.Locale;

import org.gatehouse.api.service.Scope;
import org.gatehouse.core.api.StatusSection;
import org.gatehouse.integration.internal.shell.IntegrationTargetsCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The integration targets in {@code gatehouse:status}: the same table as {@code gatehouse:integration-targets}. */
@Component(service = StatusSection.class)
public class TargetsStatusSection implements StatusSection {
    private final TargetBoard board;

    @Activate
    public TargetsStatusSection(@Reference TargetBoard board) {
        this.board = board;
    }

    @Override
    public String title(Locale locale) {
        return MESSAGES.get(locale, "status.title");
    }

    @Override
    public List<String> lines(Locale locale) {
        return IntegrationTargetsCommand.render(board, Scope.all(), locale).lines().toList();
    }
}
