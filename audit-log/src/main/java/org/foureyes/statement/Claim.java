package org.foureyes.statement;

import java.util.List;
import java.util.Map;

/** Claim names and which claims each statement type may carry. */
final class Claim {
    private Claim() {
    }

    static final String TYP = "typ";
    static final String ISS = "iss";
    static final String AUD = "aud";
    static final String IAT = "iat";
    static final String EXP = "exp";
    static final String JTI = "jti";
    static final String COMPONENT = "component";
    static final String BASE = "base";
    static final String CONFIG = "config";
    static final String REASON = "reason";
    static final String EMERGENCY = "emergency";
    static final String CHANGE = "change";
    static final String REQUEST = "request";
    static final String DECISION = "decision";
    static final String COMMENT = "comment";
    static final String APPLIED = "applied";
    static final String STATUS = "status";
    static final String DETAIL = "detail";

    static final List<String> COMMON = List.of(TYP, ISS, AUD, IAT, EXP, JTI);

    /** Claims defined for each type besides {@link #COMMON}; anything else is refused. */
    static final Map<StatementType, List<String>> BY_TYPE = Map.of(
            StatementType.CHANGE_REQUEST, List.of(COMPONENT, BASE, CONFIG, REASON, EMERGENCY),
            StatementType.DECISION, List.of(CHANGE, REQUEST, DECISION, COMMENT),
            StatementType.WITHDRAWAL, List.of(CHANGE, REQUEST),
            StatementType.REPORT, List.of(COMPONENT, CHANGE, APPLIED, STATUS, DETAIL),
            StatementType.ACCESS, List.of());
}
