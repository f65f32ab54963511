package org.gatehouse.integration.internal;

import org.gatehouse.core.api.MessageBundle;

/** The integration module's texts ({@code messages.properties}, {@code messages_zh_CN.properties}). */
public final class Messages {
    public static final MessageBundle MESSAGES = MessageBundle.of(Messages.class);

    private Messages() {
    }
}
