package org.gatehouse.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.core.internal.status.PlatformStatus;

/**
 * {@code gatehouse:status} — store, Camel context, routes and streams at a glance, then the modules' own sections
 * ({@link org.gatehouse.core.api.StatusSection}, e.g. the integration targets).
 */
@Command(scope = "gatehouse", name = "status", description = "Shows the store, the Camel context, routes and streams")
@Service
public class StatusCommand implements Action {
    @Reference
    PlatformStatus status;

    @Override
    public Object execute() {
        PlatformStatus.Report r = status.report();
        StringBuilder out = new StringBuilder();
        out.append("Gatehouse ").append(r.status()).append('\n');
        for (String waiting : r.waitingFor()) {
            out.append("  waiting: ").append(waiting).append('\n');
        }
        for (String degraded : r.degradedBy()) {
            out.append("  degraded: ").append(degraded).append('\n');
        }
        var s = r.store();
        out.append(String.format("Store:   %s  %s  %s  schema v%d  %d ms%s%n", s.up() ? "UP" : "DOWN", s.database(),
                s.url(), s.schemaVersion(), s.latencyMillis(), s.detail().isEmpty() ? "" : "  (" + s.detail() + ")"));
        var c = r.camel();
        out.append(String.format("Camel:   context '%s' %s (Camel %s), %d routes%n", c.name(), c.status(), c.version(),
                c.routes().size()));
        for (var route : c.routes()) {
            out.append(String.format("  route  %-36s %-9s %s%n", route.id(), route.status(), route.from()));
        }
        out.append("Streams:\n");
        r.streamConsumers().forEach((stream, n) ->
                out.append(String.format("  gatehouse:%-20s %d consumer(s)%n", stream, n)));
        out.append(String.format("Outbox:  %s pending%n", r.outboxPending() < 0 ? "?" : r.outboxPending()));
        if (!r.consumers().isEmpty()) {
            out.append("Consumers:\n");
        }
        for (var consumer : r.consumers()) {
            String lag = consumer.lag() < 0 ? "?" : String.valueOf(consumer.lag());
            String success = consumer.lastSuccessAt() == null ? "never" : consumer.lastSuccessAt().toString();
            String failing = consumer.attempts() == 0 ? "" : String.format(", %d failed attempt(s), next at %s: %s",
                    consumer.attempts(), consumer.nextAttemptAt(), consumer.lastError());
            String dead = consumer.openDeadLetters() == 0 ? ""
                    : String.format(", %d dead letter(s)", consumer.openDeadLetters());
            String since = consumer.failingSince() == null ? "" : ", failing since " + consumer.failingSince();
            out.append(String.format("  %-44s %-8s %s behind, last success %s%s%s%s%n", consumer.id(),
                    consumer.live() ? "live" : "stopped", lag, success, since, failing, dead));
            if (consumer.startNote() != null) {
                out.append("    note: ").append(consumer.startNote()).append('\n');
            }
        }
        out.append(String.format("Journal: %d passage(s) waiting for the database%n", r.passagesJournalled()));
        for (var problem : r.routeFileProblems()) {
            out.append(String.format("Route file %s rejected%s: %s%s%n", problem.file(), problem.where(),
                    problem.message(), problem.previousKept() ? " (its previous version keeps running)" : ""));
        }
        for (PlatformStatus.SectionReport section : status.sections(java.util.Locale.getDefault())) {
            out.append(section.title()).append(":\n");
            for (String line : section.lines()) {
                out.append("  ").append(line).append('\n');
            }
        }
        System.out.print(out);
        return null;
    }
}
