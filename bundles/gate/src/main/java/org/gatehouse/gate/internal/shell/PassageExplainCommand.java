package org.gatehouse.gate.internal.shell;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.gatehouse.core.api.Caller;
import org.gatehouse.core.shell.ShellCaller;
import org.gatehouse.gate.internal.PassageExplainer;

@Command(scope = "gatehouse", name = "passage-explain", description = "Explains a passage's open or deny: every "
        + "reason, score and threshold, the door and the policy version")
@Service
public class PassageExplainCommand implements Action {
    @Reference
    PassageExplainer explainer;

    @Argument(index = 0, name = "id", required = true, description = "Passage id")
    String id;

    @Option(name = "--lang", description = "zh-CN or en (default: the system's language)")
    String lang;

    @Override
    public Object execute() {
        Caller caller = ShellCaller.get();
        Locale locale = lang == null ? Locale.getDefault() : Locale.forLanguageTag(lang);
        PassageExplainer.Explanation e = explainer.explain(caller.scope(), id, locale);
        System.out.println(e.passageId() + "  " + e.verdict() + "  " + e.occurredAt() + "  device " + e.deviceId()
                + "  " + e.subjectType() + (e.subjectId() == null ? "" : " " + e.subjectId()));
        for (String line : e.lines()) {
            System.out.println("  - " + line);
        }
        return null;
    }
}
