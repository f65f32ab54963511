package org.gatehouse.whitelist.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.whitelist.internal.Consents.Withdrawal;
import org.gatehouse.whitelist.internal.Consents;

@Command(scope = "gatehouse", name = "consent-withdraw", description = "Withdraws a consent (知情同意); face-access: the face templates are deleted everywhere")
@Service
public class ConsentWithdrawCommand implements Action {
    @Reference
    Consents consents;

    @Argument(index = 0, name = "consent", required = true, description = "Consent id")
    String consent;

    @Override
    public Object execute() {
        Withdrawal w = consents.withdrawConsent(ShellCaller.get(), consent);
        System.out.println("Consent " + w.consent().id() + " (" + w.consent().purpose() + ") withdrawn at "
                + w.consent().withdrawnAt() + "; " + w.templatesDeleted() + " face templates deleted, "
                + w.revokedCredentials().size() + " face credentials revoked");
        return null;
    }
}
