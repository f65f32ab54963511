package org.gatehouse.api.model;

public enum AlertType {
    /** 陌生人预警 */
    STRANGER,
    /** 未出门预警: an elderly person living alone has not passed any door for too long. */
    WELFARE_INACTIVITY,
    /** 房屋闲置 */
    IDLE_UNIT,
    /** 转租 signs */
    SUBLEASE_SIGNAL,
    SCREENING_FAILURE,
    DEVICE_OFFLINE,
    FACE_TEMPLATE_QUOTA,
    /**
     * 猜码预警: repeated wrong codes (visitor pass codes, PINs) from one terminal or caller; further checks from it
     * are locked for a while.
     */
    CODE_GUESSING,
    /**
     * 数据流消费者卡住: a consumer of a {@code gatehouse:} stream (an integration route) has failed without a success
     * for longer than the platform allows; {@code subjectId} is the consumer ({@code <stream>/<route id>}).
     */
    STREAM_CONSUMER_STUCK,
    /**
     * 访客等待确认: a visitor registered at the gate or the guard desk waits for the host household to approve, reject
     * or open (one-click open); {@code subjectId} is the visitor, {@link Alert#visit()} says who, for which flat, at
     * which door, and which residents to tell. Published with the registration; not kept as an office alert.
     */
    VISITOR_WAITING,
    /**
     * The wait of a {@link #VISITOR_WAITING} ended: the visit was approved, rejected or closed ({@link Alert#visit()}
     * {@code status}); a phone app clears its notification. Published with the decision.
     */
    VISITOR_WAITING_CLOSED
}
