package org.gatehouse.core.internal.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

import org.gatehouse.core.api.Accounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No default way in: Gatehouse ships without an administrator password. On the first start (no
 * {@code admin} login in the realm) it makes one — 20 random letters and digits — stores only its hash,
 * prints it once on the console and writes it to {@code etc/gatehouse-admin.password}, readable by the
 * owner only, for the operator to read, change and delete.
 */
@Component(immediate = true, service = AdminAccount.class)
public class AdminAccount {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAccount.class);
    static final String ADMIN = "admin";
    static final String PASSWORD_FILE = "gatehouse-admin.password";
    static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    @Activate
    public AdminAccount(@Reference Accounts accounts) {
        this(accounts, Paths.get(System.getProperty("karaf.etc", "etc")));
    }

    AdminAccount(Accounts accounts, Path etc) {
        if (accounts.exists(ADMIN)) {
            return;
        }
        char[] password = generate(20);
        Path file = etc.resolve(PASSWORD_FILE);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, new String(password) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("Cannot write the administrator password to " + file, e);
        }
        accounts.create(ADMIN, password, List.of("_g_:admingroup"));
        LOG.warn("First start: created the administrator login 'admin' with a generated password, written to {}"
                + " (readable by its owner only). Change it, then delete that file.", file);
        System.out.println();
        System.out.println("  Gatehouse: first start. Administrator login created / 已创建管理员账号:");
        System.out.println("    user: admin    password: " + new String(password));
        System.out.println("  (also in " + file + ", readable by you only; change it and delete the file)");
        System.out.println();
    }

    static char[] generate(int length) {
        SecureRandom random = new SecureRandom();
        char[] password = new char[length];
        for (int i = 0; i < length; i++) {
            password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return password;
    }
}
