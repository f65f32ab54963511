package org.gatehouse.core.internal.rest;

/** The JSON body of every API error. */
public record ApiError(int status, String code, String message) {
}
