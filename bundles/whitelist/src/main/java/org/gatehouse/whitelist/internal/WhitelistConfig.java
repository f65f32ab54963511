package org.gatehouse.whitelist.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration pid {@code org.gatehouse.whitelist} ({@code etc/org.gatehouse.whitelist.cfg}): the one place where
 * the whitelist's settings and their defaults are defined. Read by {@link StoredCredentials} (key file, which also
 * designates this metatype), {@link StoredHouseholds} (zone), {@link AccessPolicy} (credential checks),
 * {@link OfflineWhitelist} (the offline copy's bound) and the
 * import service (zone, import limits and folder). For {@code importsKept}, {@code importStaleSeconds} and the
 * {@code check…} settings a value under the attribute's {@code min} (a cfg file is not checked against it) is taken as
 * that min.
 */
@ObjectClassDefinition(name = "Gatehouse whitelist",
        description = "Households, residents, credentials, consent and bulk import")
public @interface WhitelistConfig {
    String PID = "org.gatehouse.whitelist";

    @AttributeDefinition(description = "File holding the 32-byte HMAC key for ID card numbers and PINs; empty = "
            + "${karaf.etc}/gatehouse-whitelist.key. Created with owner-only permissions on first start; never "
            + "re-created while the database holds what it made (a missing or other key stops the module). "
            + "Losing it makes every stored ID card and PIN unusable.")
    String keyFile() default "";

    @AttributeDefinition(description = "Time zone for dates without a time (lease start/end as yyyy-MM-dd); empty = the system's")
    String zone() default "";

    @AttributeDefinition(description = "Notice version recorded with face consent given in a bulk import")
    String importNoticeVersion() default "import";

    @AttributeDefinition(description = "Largest photo zip accepted (compressed bytes)", min = "1")
    long importMaxZipBytes() default 200L * 1024 * 1024;

    @AttributeDefinition(description = "Largest CSV accepted (bytes)", min = "1")
    int importMaxCsvBytes() default 20 * 1024 * 1024;

    @AttributeDefinition(description = "Largest photo inside the zip (uncompressed bytes)", min = "1")
    long importMaxEntryBytes() default 10L * 1024 * 1024;

    @AttributeDefinition(description = "Total uncompressed size of the zip's entries", min = "1")
    long importMaxTotalBytes() default 1024L * 1024 * 1024;

    @AttributeDefinition(description = "Most entries in the zip", min = "1")
    int importMaxEntries() default 20_000;

    @AttributeDefinition(description = "Ended (finished or failed) import jobs kept in the store per community, with "
            + "their per-row reports; older ones are deleted when a job ends. Interrupted jobs are always kept",
            min = "1")
    int importsKept() default 50;

    @AttributeDefinition(description = "Folder of this node's import files (the photo zips of jobs that may still go "
            + "on, and node-id); empty = ${karaf.data}/gatehouse/imports")
    String importDir() default "";

    @AttributeDefinition(description = "A job held by another node that has written nothing for this many seconds is "
            + "shown as INTERRUPTED and may be resumed here", min = "30")
    int importStaleSeconds() default 600;

    @AttributeDefinition(description = "Wrong credentials (PIN, ID card, card, app code) from one terminal, or for one"
            + " resident's app code, within the window that lock its checks", min = "1", max = "100")
    int checkMaxFailures() default 5;

    @AttributeDefinition(description = "Window for counting wrong credentials (minutes)", min = "1", max = "1440")
    int checkFailureWindowMinutes() default 15;

    @AttributeDefinition(description = "First lockout (seconds); each further one in a row doubles", min = "1",
            max = "3600")
    int checkLockoutSeconds() default 60;

    @AttributeDefinition(description = "Longest lockout (minutes)", min = "1", max = "1440")
    int checkMaxLockoutMinutes() default 60;

    @AttributeDefinition(description = "Most residents, over all communities, in this node's in-memory whitelist copy "
            + "(cards, ID cards and PINs by keyed hash, leases, buildings; about 370 bytes each) from which cards and "
            + "PINs are checked while the database is down; a community that would go over is not kept; 0 = no copy",
            min = "0")
    int offlineCopyMaxResidents() default 250_000;
}
