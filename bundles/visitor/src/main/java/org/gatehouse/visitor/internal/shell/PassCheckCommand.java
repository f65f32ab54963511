package org.gatehouse.visitor.internal.shell;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.api.service.CommunityRepository;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.visitor.api.PassCheck;
import org.gatehouse.visitor.internal.Passes;

@Command(scope = "gatehouse", name = "pass-check", description = "Checks a temporary pass code (临时通行码) at a gate, "
        + "as the gate would: an opening check uses the pass and is logged")
@Service
public class PassCheckCommand implements Action {
    @Reference
    Passes passes;

    @Reference
    CommunityRepository communities;

    @Completion(CommunityCompleter.class)
    @Argument(index = 0, name = "community", required = true, description = "Community code or id")
    String community;

    @Argument(index = 1, name = "code", required = true, description = "6-digit code or QR payload GH1:<passId>:<code>")
    String code;

    @Argument(index = 2, name = "gate", required = true, description = "Gate name")
    String gate;

    @Override
    public Object execute() {
        Caller caller = ShellCaller.get();
        String id = communities.find(caller.scope(), community).id();
        PassCheck check = passes.check(caller.scope(), id, code, gate, Instant.now());
        if (check.opens()) {
            System.out.println("OPEN  pass " + check.passId() + " (" + check.visitorName() + "), uses left "
                    + check.usesLeft());
        } else {
            System.out.println("REFUSED  " + check.reason() + (check.passId() == null ? "" : "  pass " + check.passId()));
        }
        return null;
    }
}
