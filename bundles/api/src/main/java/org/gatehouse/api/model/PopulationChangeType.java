package org.gatehouse.api.model;

/** 人口变动 */
public enum PopulationChangeType {
    MOVE_IN, MOVE_OUT, OCCUPANCY_CHANGE
}
