package org.gatehouse.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.SecretKey;

import org.gatehouse.api.keys.KeyGuard;
import org.gatehouse.api.keys.KeyRefusedException;
import org.gatehouse.api.service.KeyChecks;
import org.gatehouse.store.internal.repo.KeyChecksImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A template keystore checked against what the database recorded ({@code key_check}, purposes
 * {@code template:template-key-N}) and holds ({@code face_template}): a missing keystore while the database needs its
 * keys, a key whose check value differs, a keystore without a key that templates were sealed with, or a key with no
 * record that does not open the templates sealed under its alias is refused ({@link KeyRefusedException}); a key
 * that passes and has no record yet gets its check value recorded.
 */
final class TemplateKeystoreCheck {
    /** The key manager's own log lines. */
    private static final Logger LOG = LoggerFactory.getLogger(TemplateKeys.class);

    private TemplateKeystoreCheck() {
    }

    /** Before opening: a missing keystore is refused when the database was used with template keys. */
    static void refuseMissing(KeyChecksImpl.TemplateKeyUse use, Path path, Path passwordFile) {
        if (Files.exists(path) || (use.recorded().isEmpty() && use.rows().isEmpty())) {
            return;
        }
        String why = use.rows().isEmpty()
                ? "this database was used with template keys " + use.recorded().keySet() + " (key checks "
                + "recorded, e.g. " + use.recorded().values().iterator().next().recordedAt() + ")"
                : "this database holds " + templates(use.rows()) + " sealed with its keys";
        throw KeyGuard.missing(KeyChecks.TEMPLATE_PREFIX, TemplateKeys.LABEL, path, why + " (restore "
                + passwordFile.getFileName() + " or keystorePassword with it)");
    }

    /** After opening: the keys against the recorded check values and the sealed templates. */
    static void check(KeyChecksImpl checks, KeyChecksImpl.TemplateKeyUse use, Path path,
                      TreeMap<Integer, SecretKey> keys) {
        for (Map.Entry<String, Long> used : use.rows().entrySet()) {
            Integer n = TemplateKeys.number(used.getKey());
            if (n == null || !keys.containsKey(n)) {
                throw new KeyRefusedException(KeyChecks.TEMPLATE_PREFIX + used.getKey(), path, "The "
                        + TemplateKeys.LABEL + " " + path + " has no key '" + used.getKey() + "', but this database "
                        + "holds " + used.getValue() + " face template(s) sealed with it: it is not (or no longer) the "
                        + "keystore of this database. " + KeyGuard.ADVICE + ".");
            }
        }
        for (Map.Entry<Integer, SecretKey> entry : keys.entrySet()) {
            String alias = TemplateKeys.ALIAS_PREFIX + entry.getKey();
            String purpose = KeyChecks.TEMPLATE_PREFIX + alias;
            byte[] material = entry.getValue().getEncoded();
            KeyChecks.KeyCheck recorded = use.recorded().get(alias);
            if (recorded != null) {
                if (!recorded.checkValue().equals(KeyGuard.checkValue(material, purpose))) {
                    throw KeyGuard.different(purpose, TemplateKeys.LABEL + ", key '" + alias + "',", path, recorded);
                }
                continue;
            }
            Long rows = use.rows().get(alias);
            if (rows != null && !TemplateCipher.opensAny(entry.getValue(), checks.templateSamples(alias, 3))) {
                throw KeyGuard.doesNotOpen(purpose, TemplateKeys.LABEL + ", key '" + alias + "',", path,
                        rows + " face template(s) sealed under '" + alias + "'");
            }
            KeyGuard.record(checks, purpose, TemplateKeys.LABEL + ", key '" + alias + "',", path, material);
            if (rows != null) {
                LOG.info("template keystore {}: key {} opens the templates sealed with it; its check value is now "
                        + "recorded in the database", path, alias);
            }
        }
    }

    private static String templates(Map<String, Long> rows) {
        return rows.values().stream().mapToLong(Long::longValue).sum() + " face template(s)";
    }
}
