package org.gatehouse.screening.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gatehouse.gate.api.CheckSetting;
import org.gatehouse.gate.api.CheckSetting.Mode;

/**
 * How one check applies in each community: a default (mode and stage) and per-community entries, read from the check's
 * configuration ({@code defaultMode}, {@code defaultStage}, {@code communities}).
 *
 * <p>Syntax of a {@code communities} entry: {@code <communityId>=<OFF|SOFT|HARD>[:<before|after>]}; several entries
 * in one value are separated by {@code ;} (e.g. {@code c-123=HARD;c-456=SOFT:before}), and a value may also be a
 * list. Mode and stage are case-insensitive; a missing stage is the default stage.
 *
 * <p>Bad values never switch a check off and never lock a community out: an unknown mode becomes {@link Mode#SOFT}
 * (allow and flag — every failure still shows in the decision and raises the gate's alert), an unknown stage becomes
 * {@code after} identity, an entry without a community id or {@code =} is ignored. Every such correction is one line
 * in {@link #problems()}, which the component logs at ERROR.
 */
public final class CommunitySettings {
    /** What an unreadable mode becomes: flag every failure, deny nobody on a typo. */
    static final Mode FALLBACK_MODE = Mode.SOFT;

    private final CheckSetting defaults;
    private final Map<String, CheckSetting> communities;
    private final List<String> problems;

    private CommunitySettings(CheckSetting defaults, Map<String, CheckSetting> communities, List<String> problems) {
        this.defaults = defaults;
        this.communities = Map.copyOf(communities);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads a check's settings.
     *
     * @param pid          the configuration PID, for the problem lines
     * @param defaultMode  {@code OFF}, {@code SOFT} or {@code HARD}
     * @param defaultStage {@code before} or {@code after} (identity)
     * @param entries      the {@code communities} values (null or empty: none)
     */
    public static CommunitySettings parse(String pid, String defaultMode, String defaultStage, String[] entries) {
        List<String> problems = new ArrayList<>();
        Mode mode = mode(defaultMode);
        if (mode == null) {
            problems.add(pid + ": defaultMode = '" + defaultMode + "' is not OFF, SOFT or HARD; using "
                    + FALLBACK_MODE + " (allow and flag) until it is corrected");
            mode = FALLBACK_MODE;
        }
        Boolean before = stage(defaultStage);
        if (before == null) {
            problems.add(pid + ": defaultStage = '" + defaultStage + "' is not before or after; using after");
            before = false;
        }
        CheckSetting defaults = new CheckSetting(mode, before);
        Map<String, CheckSetting> communities = new LinkedHashMap<>();
        if (entries != null) {
            for (String value : entries) {
                if (value == null) {
                    continue;
                }
                for (String entry : value.split(";")) {
                    entry(pid, entry.trim(), defaults, communities, problems);
                }
            }
        }
        return new CommunitySettings(defaults, communities, problems);
    }

    private static void entry(String pid, String entry, CheckSetting defaults, Map<String, CheckSetting> communities,
                              List<String> problems) {
        if (entry.isEmpty()) {
            return;
        }
        int eq = entry.indexOf('=');
        String community = eq < 0 ? "" : entry.substring(0, eq).trim();
        if (community.isEmpty()) {
            problems.add(pid + ": communities entry '" + entry + "' is not <communityId>=<OFF|SOFT|HARD>[:before|after]"
                    + "; ignored");
            return;
        }
        String rest = entry.substring(eq + 1).trim();
        int colon = rest.indexOf(':');
        String modeText = colon < 0 ? rest : rest.substring(0, colon).trim();
        Mode mode = mode(modeText);
        if (mode == null) {
            problems.add(pid + ": community " + community + ": mode '" + modeText + "' is not OFF, SOFT or HARD; using "
                    + FALLBACK_MODE + " (allow and flag) there until it is corrected");
            mode = FALLBACK_MODE;
        }
        boolean before = defaults.beforeIdentity();
        if (colon >= 0) {
            String stageText = rest.substring(colon + 1).trim();
            Boolean stage = stage(stageText);
            if (stage == null) {
                problems.add(pid + ": community " + community + ": stage '" + stageText
                        + "' is not before or after; using after");
                before = false;
            } else {
                before = stage;
            }
        }
        if (communities.containsKey(community)) {
            problems.add(pid + ": community " + community + " is listed more than once; the last entry applies");
        }
        communities.put(community, new CheckSetting(mode, before));
    }

    private static Mode mode(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Boolean stage(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "before" -> Boolean.TRUE;
            case "after" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The setting in {@code communityId}: its own entry, else the default. */
    public CheckSetting setting(String communityId) {
        CheckSetting own = communityId == null ? null : communities.get(communityId);
        return own != null ? own : defaults;
    }

    public CheckSetting defaults() {
        return defaults;
    }

    /** The communities with an entry of their own. */
    public Map<String, CheckSetting> communities() {
        return communities;
    }

    /** Every value that was corrected or ignored, one line each (empty when the configuration was clean). */
    public List<String> problems() {
        return problems;
    }

    /** One line for the log: default and entries. */
    public String summary() {
        StringBuilder s = new StringBuilder("default ").append(describe(defaults));
        communities.forEach((id, setting) -> s.append(", ").append(id).append(' ').append(describe(setting)));
        return s.toString();
    }

    private static String describe(CheckSetting setting) {
        return setting.mode() + (setting.mode() == Mode.OFF ? "" : setting.beforeIdentity() ? " before identity"
                : " after identity");
    }
}
