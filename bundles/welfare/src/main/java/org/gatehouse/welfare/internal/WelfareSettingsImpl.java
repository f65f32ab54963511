package org.gatehouse.welfare.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The defaults ({@code org.gatehouse.welfare}) and the communities' own settings ({@link CommunityWelfare}, one per
 * factory configuration), which come and go while it runs. A problem in a community's settings is logged once at
 * ERROR when the rules are first built; the rules are rebuilt when a community's configuration changes.
 */
@Component(service = WelfareSettings.class, configurationPid = WelfareConfig.PID)
@Designate(ocd = WelfareConfig.class)
public class WelfareSettingsImpl implements WelfareSettings {
    private static final Logger LOG = LoggerFactory.getLogger(WelfareSettingsImpl.class);
    private final WelfareConfig defaults;
    private final List<CommunityWelfare> communities = new CopyOnWriteArrayList<>();
    private final Map<String, CommunityRules> cache = new ConcurrentHashMap<>();

    @Activate
    public WelfareSettingsImpl(WelfareConfig defaults) {
        this.defaults = defaults;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCommunity(CommunityWelfare community) {
        communities.add(community);
        cache.clear();
    }

    void removeCommunity(CommunityWelfare community) {
        communities.remove(community);
        cache.clear();
    }

    @Override
    public WelfareConfig defaults() {
        return defaults;
    }

    @Override
    public CommunityRules rules(String communityId) {
        return cache.computeIfAbsent(communityId, id -> {
            CommunityWelfareConfig own = communities.stream().map(CommunityWelfare::config)
                    .filter(c -> id.equals(c.communityId())).findFirst().orElse(null);
            CommunityRules rules = CommunityRules.of(id, defaults, own);
            rules.problems().forEach(p -> LOG.error("Welfare settings: {}", p));
            return rules;
        });
    }
}
