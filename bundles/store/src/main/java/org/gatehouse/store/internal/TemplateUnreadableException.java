package org.gatehouse.store.internal;

/**
 * A face template that cannot be decrypted: unknown key, tampered ciphertext or IV, a ciphertext moved from
 * another row, or the wrong keystore. The message names the template id; the store never returns garbage vectors.
 */
public class TemplateUnreadableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String templateId;

    public TemplateUnreadableException(String templateId, String message, Throwable cause) {
        super(message, cause);
        this.templateId = templateId;
    }

    public String templateId() {
        return templateId;
    }
}
