package org.foureyes.server.resources;

import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;

/** Ends a request with an RFC 9457 problem (see {@link ProblemMappers}). */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public ProblemException(ProblemType type, String detail) {
        this(Problem.of(type, detail));
    }

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
