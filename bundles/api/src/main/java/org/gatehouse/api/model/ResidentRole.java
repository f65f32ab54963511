package org.gatehouse.api.model;

/** How a person belongs to a household (业主, 承租人, 同住人) or works there (staff). */
public enum ResidentRole {
    OWNER, TENANT, CO_RESIDENT, STAFF
}
