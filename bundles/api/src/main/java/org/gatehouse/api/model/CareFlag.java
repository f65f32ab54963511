package org.gatehouse.api.model;

/** Care flags, set only by the community office. */
public enum CareFlag {
    /** 独居老人: elderly person living alone; inactivity alerts apply. */
    LIVES_ALONE,
    /** Needs attention (disability, illness); the office decides what that means locally. */
    NEEDS_ATTENTION
}
