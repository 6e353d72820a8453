package org.foureyes.server.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource method when the log is not public ({@code log.public: false}); see
 * {@link ReadAccessFilter}. A method without it (on itself or its class) is for principals with the
 * {@code read} right only, so a new endpoint is private until someone decides otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ReadRule {

    Access value();

    /** The kinds of access, from most open to readers only. */
    enum Access {
        /**
         * Anyone: what clients pin ({@code /v1/log/key}), endpoints that check their own credential
         * ({@code /v1/whoami}), and statement POSTs (the signed statement is the credential).
         */
        PUBLIC,
        /** Readers, and agents: an agent must read the whole log (and the policy) to verify it. */
        AGENT_LOG,
        /** Readers, and the agent of the component named by the path parameter {@code name}. */
        AGENT_COMPONENT_PATH,
        /** Readers, and an agent asking with the query parameter {@code component} set to its component. */
        AGENT_COMPONENT_QUERY,
        /** Readers, and the agent of the component of the change named by the path parameter {@code id}. */
        AGENT_CHANGE_PATH,
        /** Principals with the read right only (the default). */
        READERS
    }
}
