package org.gatehouse.visitor.internal;

import java.util.Locale;

import org.gatehouse.api.service.KeyChecks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link VisitorKey} in the file named by {@code keyFile} ({@link SecretKeys}). */
@Component(service = VisitorKey.class, configurationPid = VisitorConfig.PID)
public class VisitorKeyFile implements VisitorKey {
    private static final Logger LOG = LoggerFactory.getLogger(VisitorKeyFile.class);

    private final SecretKeys keys;

    @Activate
    public VisitorKeyFile(@Reference KeyChecks keyChecks, VisitorConfig config) {
        this(SecretKeys.load(SecretKeys.keyFile(config.keyFile()), keyChecks));
        // a missing or different key file stops the component here (the message names the file)
        if (!keys.checkNow()) {
            LOG.warn("the database is not reachable: the visitor key {} is checked against it on first use",
                    SecretKeys.keyFile(config.keyFile()));
        }
    }

    public VisitorKeyFile(SecretKeys keys) {
        this.keys = keys;
    }

    @Override
    public String passCodeHash(String communityId, String code) {
        return keys.hash("pass-code", communityId + "\u0000" + code);
    }

    @Override
    public String idCardHash(String idCard) {
        return keys.hash("id-card", normaliseIdCard(idCard));
    }

    static String normaliseIdCard(String raw) {
        return raw.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }
}
