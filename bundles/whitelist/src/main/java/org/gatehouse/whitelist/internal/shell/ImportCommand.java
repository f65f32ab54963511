package org.gatehouse.whitelist.internal.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.ShellFiles;
import org.gatehouse.whitelist.internal.Refusal;
import org.gatehouse.whitelist.internal.imports.ImportService.Report;
import org.gatehouse.whitelist.internal.imports.ImportService;

@Command(scope = "gatehouse", name = "import", description = "Imports residents (白名单) from a CSV and an optional photo zip")
@Service
public class ImportCommand implements Action {
    @Reference
    ImportService imports;

    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    String community;

    @Argument(index = 1, name = "csv", required = true,
            description = "CSV file: building,flat,household,name,role,phone,validFrom,validUntil,photo[,faceConsent]")
    @Completion(FileCompleter.class)
    String csv;

    @Argument(index = 2, name = "zip", required = false, description = "Zip of the photos named in the CSV")
    @Completion(FileCompleter.class)
    String zip;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        Caller caller = ShellCaller.get();
        Locale locale = Locale.getDefault();
        String id;
        try {
            Path zipPath = zip == null ? null : ShellFiles.existing(session, zip, "photo zip");
            id = imports.submit(caller, community, Files.readAllBytes(ShellFiles.existing(session, csv, "CSV file")),
                    zipPath, null);
        } catch (Refusal e) {
            System.out.println(e.code() + ": " + e.message(locale));
            return null;
        }
        System.out.println("Import " + id);
        int last = -1;
        Report report;
        while (true) {
            report = imports.report(caller, id, locale).orElseThrow();
            if (report.percent() != last) {
                System.out.println(report.percent() + "% (" + (report.done() + report.failed()) + "/" + report.total() + ")");
                last = report.percent();
            }
            if (report.finished()) {
                break;
            }
            Thread.sleep(500);
        }
        System.out.println(report.status() + ": " + report.done() + " imported, " + report.failed() + " failed"
                + (report.error() == null ? "" : " — " + report.error()));
        for (ImportService.RowResult row : report.rows()) {
            if (!row.ok()) {
                System.out.println("  row " + row.row() + ": " + row.code() + " " + row.message());
            }
        }
        return null;
    }
}
