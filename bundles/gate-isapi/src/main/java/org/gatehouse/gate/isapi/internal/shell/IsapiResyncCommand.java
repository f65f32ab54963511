package org.gatehouse.gate.isapi.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.gate.isapi.internal.IsapiStatusView;

@Command(scope = "gatehouse", name = "isapi-resync", description = "Full resync of one ISAPI terminal: upserts every "
        + "resident of its community who may pass its door, then deletes every other person on the terminal")
@Service
public class IsapiResyncCommand implements Action {
    @Reference
    IsapiStatusView view;

    @Argument(index = 0, name = "DEVICE", required = true, description = "The device id")
    String device;

    @Override
    public Object execute() {
        System.out.println("Resynced " + device + ": " + view.resync(device));
        return null;
    }
}
