package org.gatehouse.welfare.internal;

/** The welfare rules in force: the defaults and each community's own configuration. */
public interface WelfareSettings {
    WelfareConfig defaults();

    CommunityRules rules(String communityId);
}
