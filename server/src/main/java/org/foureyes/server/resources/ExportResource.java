package org.foureyes.server.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.server.core.LogExport;

/**
 * {@code GET /v1/log/export?start=S&end=E}: the log export (docs/export-format.md) of entries
 * {@code S <= seq < E} as one uncompressed tar stream of the export directory's files, so
 * {@code curl -s URL | tar -x -C DIR} gives a directory that {@code foureyes-verify log} checks.
 * {@code start} defaults to 0, {@code end} to the latest checkpoint's size and must otherwise be
 * the size of a signed checkpoint. Entries are streamed from the database in pages.
 */
@Path("/v1/log/export")
@ReadRule(ReadRule.Access.AGENT_LOG)
public class ExportResource {
    public static final String TAR = "application/x-tar";

    private final LogExport export;
    private final VerifierKey logKey;

    public ExportResource(LogExport export, VerifierKey logKey) {
        this.export = export;
        this.logKey = logKey;
    }

    @GET
    @Produces(TAR)
    public Response export(@QueryParam("start") String startParam, @QueryParam("end") String endParam) {
        Long start = startParam == null ? null : LogResource.number("start", startParam);
        Long end = endParam == null ? null : LogResource.number("end", endParam);
        if (start != null && end != null && start > end) {
            throw new ProblemException(ProblemType.BAD_RANGE, "start " + start + " is after end " + end
                    + "; ask for start <= seq < end with start <= end.");
        }
        LogExport.Plan plan;
        try {
            plan = export.plan(start, end);
        } catch (LogExport.BadRangeException e) {
            throw new ProblemException(ProblemType.BAD_RANGE, capitalise(e.getMessage()) + ".");
        }
        long mtime = plan.checkpoint().createdMs() / 1000;
        StreamingOutput body = (OutputStream out) -> {
            OutputStream o = new BufferedOutputStream(out, 256 * 1024);
            export.writeTar(plan, logKey, o, mtime);
            o.flush();
        };
        String name = "foureyes-log-" + plan.start() + "-" + plan.end() + ".tar";
        return Response.ok(body, TAR)
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("X-Foureyes-Export-Start", plan.start())
                .header("X-Foureyes-Export-End", plan.end())
                .build();
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
