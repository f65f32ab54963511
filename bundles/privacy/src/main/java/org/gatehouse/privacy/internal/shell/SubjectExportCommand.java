package org.gatehouse.privacy.internal.shell;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.gatehouse.api.json.ApiJson;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.core.shell.ShellFiles;
import org.gatehouse.privacy.internal.SubjectAccess;

@Command(scope = "gatehouse", name = "subject-export", description = "Writes everything held about a resident to a JSON file (audited)")
@Service
public class SubjectExportCommand implements Action {
    static final ObjectMapper JSON = ApiJson.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Reference
    SubjectAccess subjects;

    @Argument(index = 0, name = "resident", required = true, description = "Resident id")
    String resident;

    @Argument(index = 1, name = "file", required = true, description = "Output JSON file")
    @Completion(FileCompleter.class)
    String file;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        Path out = ShellFiles.writable(session, file, "output file");
        Files.write(out, JSON.writeValueAsBytes(subjects.export(ShellCaller.get(), resident)));
        System.out.println("Written " + out);
        return null;
    }
}
