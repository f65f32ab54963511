package org.gatehouse.welfare.internal;

import org.gatehouse.core.api.MessageBundle;

/** The welfare module's texts ({@code messages.properties}, {@code messages_zh_CN.properties}) and refusals. */
public final class Messages {
    public static final MessageBundle MESSAGES = MessageBundle.of(Messages.class);

    private Messages() {
    }
}
