package org.gatehouse.core.api;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that must survive a crash or a power cut once written: the data is forced to the device before the rename
 * that makes it visible, and the folder is forced after it, so the new name is on the device too (a rename lives in
 * the folder, not in the file).
 */
public final class DurableFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

    private DurableFiles() {
    }

    /** Renames {@code written} (already forced) to {@code target}, atomically where the file system can, then forces the folder. */
    public static void moveInto(Path written, Path target) throws IOException {
        try {
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceFolder(target.getParent());
    }

    /** Forces a folder's entries to the device; where the platform cannot open a folder for it, says so once at debug. */
    public static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force folder {} ({}); the files themselves are on disk", folder, e.toString());
        }
    }
}
