package org.foureyes.policy;

import java.util.Set;

/**
 * A role: the components its holders may request changes to, approve changes to and report on,
 * and whether they may read the log.
 */
public record Role(String name, Set<String> request, Set<String> approve, Set<String> report, boolean read) {
    public Role {
        request = Ordered.copyOf(request);
        approve = Ordered.copyOf(approve);
        report = Ordered.copyOf(report);
    }

    public boolean grants(Right right) {
        return switch (right.action()) {
            case REQUEST -> request.contains(right.component());
            case APPROVE -> approve.contains(right.component());
            case REPORT -> report.contains(right.component());
        };
    }
}
