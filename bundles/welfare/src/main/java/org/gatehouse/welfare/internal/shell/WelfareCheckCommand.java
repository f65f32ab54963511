package org.gatehouse.welfare.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.welfare.internal.CheckReport;
import org.gatehouse.welfare.internal.WelfareApi;
import org.gatehouse.welfare.internal.WelfareChecks;

@Command(scope = "gatehouse", name = "welfare-check", description = "Runs the welfare detectors (inactivity watch, "
        + "idle flats, sublease signs) as of a time; twice as of the same time opens nothing twice")
@Service
public class WelfareCheckCommand implements Action {
    @Reference
    WelfareChecks checks;

    @Option(name = "--as-of", description = "ISO-8601 date-time with offset, e.g. 2026-12-01T08:00+08:00 (default now)")
    String asOf;

    @Override
    public Object execute() {
        CheckReport.Summary s = checks.run(ShellCaller.get().scope(), WelfareApi.asOf(asOf)).summary();
        System.out.println("As of " + s.asOf() + ": opened " + s.opened().size() + ", escalated "
                + s.escalated().size() + ", closed by a passage " + s.closed().size());
        s.opened().forEach(id -> System.out.println("  opened     " + id));
        s.escalated().forEach(id -> System.out.println("  escalated  " + id));
        s.closed().forEach(id -> System.out.println("  closed     " + id));
        s.problems().forEach(p -> System.out.println("  problem    " + p));
        return null;
    }
}
