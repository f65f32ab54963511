package org.gatehouse.integration.internal;

/**
 * Where a target sends: a webhook, a CSV drop, an MQTT broker. {@link #send} returns when the target has the event
 * (answered 2xx, written and synced, acknowledged at QoS 1), throws {@link TargetRefusedException} when the target
 * refused it for good (the stream goes on, the refusal is recorded) and any other exception when it could not be
 * reached (the stream consumer tries again, in order, with back-off).
 */
public interface FeedSink extends AutoCloseable {
    void send(Outgoing event) throws Exception;

    /** Publishes a notification on {@code topic} (mqtt) or posts it (webhook, topic ignored). */
    default void notify(String topic, Outgoing notification) throws Exception {
        send(notification);
    }

    /** Where it sends, without secrets (for the audit and the status): e.g. {@code webhook:https://host/path}. */
    String describe();

    @Override
    default void close() {
    }

    /** The target said no for good (HTTP 4xx): not tried again. */
    final class TargetRefusedException extends Exception {
        public TargetRefusedException(String message) {
            super(message);
        }
    }
}
