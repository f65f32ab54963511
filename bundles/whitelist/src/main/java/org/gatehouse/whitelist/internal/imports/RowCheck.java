package org.gatehouse.whitelist.internal.imports;

import static org.gatehouse.whitelist.internal.Messages.MESSAGES;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.gatehouse.api.model.Household;
import org.gatehouse.api.model.ResidentRole;
import org.gatehouse.api.model.Unit;
import org.gatehouse.whitelist.internal.Households.ResidentInput;
import org.gatehouse.whitelist.internal.LeaseDates;
import org.gatehouse.core.api.Refusal;

/**
 * What a CSV row asks for, checked before anything of it is written: the required fields, the building and flat, the
 * role ({@code TENANT|OWNER|CO_RESIDENT|STAFF} or 承租人/租户, 业主, 同住人…), the lease dates, and the photo when the
 * row names one with {@code faceConsent} yes (a {@code photo2} needs a {@code photo}). Only then is its household found
 * (or created).
 */
final class RowCheck {
    /** A row that passed: its household, the resident's fields and the face photo (null: no face). */
    record CheckedRow(Household household, ResidentInput input, byte[] image) {
    }

    private final LeaseDates dates;

    RowCheck(LeaseDates dates) {
        this.dates = dates;
    }

    /** Checks the fields of a row; a {@link Refusal} (or the zip's IOException) says what is wrong with it. */
    CheckedRow check(Map<String, String> fields, CommunityLookup lookup, SafeZip zip) throws IOException {
        Map<String, String> f = fields == null ? Map.of() : fields;
        for (String required : List.of("building", "flat", "household", "name", "role")) {
            if (f.getOrDefault(required, "").isBlank()) {
                throw missing(required);
            }
        }
        Unit unit = lookup.flat(f.get("building"), f.get("flat"));
        ResidentRole role = role(f.get("role"));
        boolean faceConsent = yes(f.getOrDefault(ImportService.FACE_CONSENT, ""));
        String photo = f.getOrDefault("photo", "");
        // validate everything before anything is written
        Instant from = dates.instant("validFrom", f.get("validFrom"), false);
        Instant until = dates.instant("validUntil", f.get("validUntil"), true);
        if (from != null && until != null && !until.isAfter(from)) {
            throw MESSAGES.refusal(400, "BAD_REQUEST", "lease.endBeforeStart", "validUntil", "validFrom");
        }
        byte[] image = null;
        if (faceConsent && photo.isBlank() && !f.getOrDefault(ImportService.PHOTO2, "").isBlank()) {
            throw MESSAGES.refusal(400, "BAD_REQUEST", "import.photo2WithoutPhoto", f.get(ImportService.PHOTO2));
        }
        if (!photo.isBlank() && faceConsent) {
            image = photo(zip, photo); // the second photo is read when it is enrolled: it never fails the row
        }
        Household household = lookup.household(unit, f.get("household"));
        return new CheckedRow(household, new ResidentInput(f.get("name"), role, null, f.get("phone"),
                f.get("validFrom"), f.get("validUntil"), Set.of()), image);
    }

    /** The photo of that name in the zip (PHOTO_NOT_FOUND without a zip). */
    static byte[] photo(SafeZip zip, String name) throws IOException {
        if (zip == null) {
            throw MESSAGES.refusal(400, "PHOTO_NOT_FOUND", "import.noZip", name);
        }
        return zip.read(name);
    }

    private static Refusal missing(String field) {
        return MESSAGES.refusal(400, "BAD_REQUEST", "field.required", field);
    }

    static ResidentRole role(String value) {
        String v = value.trim();
        switch (v) {
            case "承租人", "租户", "租客" -> {
                return ResidentRole.TENANT;
            }
            case "业主" -> {
                return ResidentRole.OWNER;
            }
            case "同住人", "家属" -> {
                return ResidentRole.CO_RESIDENT;
            }
            case "工作人员", "物业" -> {
                return ResidentRole.STAFF;
            }
            default -> {
                try {
                    return ResidentRole.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_'));
                } catch (IllegalArgumentException e) {
                    throw MESSAGES.refusal(400, "BAD_ROLE", "import.badRole", v);
                }
            }
        }
    }

    static boolean yes(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("yes") || v.equals("y") || v.equals("true") || v.equals("1") || v.equals("是") || v.equals("同意");
    }
}
