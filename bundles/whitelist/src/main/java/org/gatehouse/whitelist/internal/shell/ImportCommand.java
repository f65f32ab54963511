package org.gatehouse.whitelist.internal.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.ShellFiles;
import org.gatehouse.whitelist.internal.imports.ImportService;
import org.gatehouse.whitelist.internal.imports.ImportService.Report;
import org.gatehouse.core.api.Refusal;

@Command(scope = "gatehouse", name = "import", description = "Imports residents (白名单) from a CSV and an optional "
        + "photo zip; --list shows a community's imports, --status one import, --resume goes on with an interrupted one")
@Service
public class ImportCommand implements Action {
    @Reference
    ImportService imports;

    @Completion(CommunityCompleter.class)
    @Argument(index = 0, name = "community", required = false, description = "Community code or id (to import, or "
            + "with --list)")
    String community;

    @Argument(index = 1, name = "csv", required = false,
            description = "CSV file: building,flat,household,name,role,phone,validFrom,validUntil,photo[,faceConsent]")
    @Completion(FileCompleter.class)
    String csv;

    @Argument(index = 2, name = "zip", required = false, description = "Zip of the photos named in the CSV")
    @Completion(FileCompleter.class)
    String zip;

    @Option(name = "--resume", description = "Resume the interrupted import with this id (it goes on after the last "
            + "committed row; no row is imported twice)")
    String resume;

    @Option(name = "--status", description = "Show the import with this id (progress, failed rows, rows with warnings)")
    String status;

    @Option(name = "--list", description = "List the community's imports, newest first")
    boolean list;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        Caller caller = ShellCaller.get();
        Locale locale = Locale.getDefault();
        try {
            if (list) {
                if (community == null) {
                    System.out.println("gatehouse:import --list COMMUNITY");
                    return null;
                }
                List<Report> reports = imports.list(caller, community, locale, 50);
                for (Report r : reports) {
                    System.out.println(r.id() + "  " + r.submittedAt() + "  " + r.submittedBy() + "  " + line(r)
                            + (r.resumable() ? "  (--resume " + r.id() + ")" : ""));
                }
                if (reports.isEmpty()) {
                    System.out.println("No imports");
                }
                return null;
            }
            if (status != null) {
                Report r = imports.report(caller, status, locale).orElse(null);
                if (r == null) {
                    System.out.println("No import " + status);
                    return null;
                }
                summary(r);
                return null;
            }
            String id;
            if (resume != null) {
                id = imports.resume(caller, resume);
                System.out.println("Import " + id + " resumed");
            } else {
                if (community == null || csv == null) {
                    System.out.println("gatehouse:import COMMUNITY CSV [ZIP] | --list COMMUNITY | --status ID | "
                            + "--resume ID");
                    return null;
                }
                Path zipPath = zip == null ? null : ShellFiles.existing(session, zip, "photo zip");
                id = imports.submit(caller, community, Files.readAllBytes(ShellFiles.existing(session, csv,
                        "CSV file")), zipPath, null);
                System.out.println("Import " + id + " accepted (stored: it survives a restart)");
            }
            follow(caller, id, locale);
        } catch (Refusal e) {
            System.out.println(e.code() + ": " + e.message(locale));
        }
        return null;
    }

    /** Prints the percentage while the job runs, then the summary. */
    private void follow(Caller caller, String id, Locale locale) throws InterruptedException {
        int last = -1;
        Report report;
        while (true) {
            report = imports.progress(caller, id, locale).orElseThrow();
            if (report.percent() != last) {
                System.out.println(report.percent() + "% (" + (report.done() + report.failed()) + "/" + report.total()
                        + ")");
                last = report.percent();
            }
            if (report.stopped()) {
                break;
            }
            Thread.sleep(500);
        }
        summary(imports.report(caller, id, locale).orElseThrow());
    }

    private static String line(Report r) {
        return r.status() + " " + r.percent() + "% (" + (r.done() + r.failed()) + "/" + r.total() + "): " + r.done()
                + " imported, " + r.failed() + " failed";
    }

    private static void summary(Report report) {
        System.out.println(line(report) + (report.error() == null ? "" : " — " + report.error()));
        for (ImportService.RowResult row : report.rows()) {
            if (!row.ok()) {
                System.out.println("  row " + row.row() + ": " + row.code() + " " + row.message());
            } else if (row.warningCode() != null) {
                System.out.println("  row " + row.row() + ": imported, warning " + row.warningCode() + " "
                        + row.warning());
            }
        }
    }
}
