package org.gatehouse.privacy.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.TextTable;
import org.gatehouse.privacy.internal.RetentionJob;

@Command(scope = "gatehouse", name = "retention-run", description = "Deletes personal data past its retention time now and prints the report")
@Service
public class RetentionRunCommand implements Action {
    @Reference
    RetentionJob retention;

    @Override
    public Object execute() {
        RetentionJob.Report report = retention.run(ShellCaller.get().name());
        TextTable table = new TextTable();
        table.column("Data");
        table.column("Days");
        table.column("Before");
        table.column("Deleted");
        for (RetentionJob.Item i : report.items()) {
            table.row(i.dataType(), i.days() <= 0 ? "kept" : i.days(),
                    i.before() == null ? "" : i.before(), i.error() != null ? "ERROR " + i.error()
                            : i.deleted() < 0 ? "-" : i.deleted());
        }
        table.print(System.out);
        System.out.println("Total deleted: " + report.total());
        return null;
    }
}
