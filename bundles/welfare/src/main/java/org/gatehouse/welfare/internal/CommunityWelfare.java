package org.gatehouse.welfare.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** One factory configuration {@code org.gatehouse.welfare.community}: a community's contacts and own thresholds. */
@Component(service = CommunityWelfare.class, configurationPid = CommunityWelfareConfig.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CommunityWelfareConfig.class, factory = true)
public class CommunityWelfare {
    private final CommunityWelfareConfig config;

    @Activate
    public CommunityWelfare(CommunityWelfareConfig config) {
        this.config = config;
    }

    public CommunityWelfareConfig config() {
        return config;
    }
}
