package org.foureyes.policy;

/**
 * A content guard: a CEL expression over {@code config} (the proposed configuration),
 * {@code current} (the configuration in place, or null) and {@code request} (the request's claims)
 * that must evaluate to true.
 *
 * @param name short name, quoted in refusals
 * @param expr the CEL expression
 * @param message what a refusal tells the requester
 */
public record Guard(String name, String expr, String message) {}
