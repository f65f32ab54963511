package org.gatehouse.portal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each user's chosen language (zh-CN or en), kept in a small file under data/ so that it outlives a restart. */
final class Languages {
    private static final Logger LOG = LoggerFactory.getLogger(Languages.class);
    static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;
    static final Locale ENGLISH = Locale.ENGLISH;

    private final Path file;
    private final Properties chosen = new Properties();

    Languages(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                chosen.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // a damaged file (e.g. a broken unicode escape) costs the choices, not the portal
                LOG.warn("Cannot read the portal users' languages from {}: {}", file, e.toString());
            }
        }
    }

    /** zh-CN / zh / en (any case) as a locale; anything else is Simplified Chinese. */
    static Locale parse(String tag) {
        return tag != null && tag.trim().toLowerCase(Locale.ROOT).startsWith("en") ? ENGLISH : CHINESE;
    }

    synchronized Locale of(String user, Locale fallback) {
        String tag = chosen.getProperty(user.toLowerCase(Locale.ROOT));
        return tag == null ? fallback : parse(tag);
    }

    synchronized void choose(String user, Locale locale) {
        chosen.setProperty(user.toLowerCase(Locale.ROOT), locale.toLanguageTag());
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                chosen.store(out, "Gatehouse portal: each user's language");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot save the portal users' languages to {}: {}", file, e.toString());
        }
    }
}
