package org.foureyes.server.resources;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.foureyes.server.api.ProblemType;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * 415 problem+json for a request without {@code Content-Type} to a method that declares what it
 * consumes. Jersey matches a request without the header against any {@code @Consumes} (issue 13:
 * a POST without one was accepted); a wrong type it already refuses with 415.
 */
@Priority(Priorities.HEADER_DECORATOR)
public final class ContentTypeFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null
                || !(request.getUriInfo() instanceof ExtendedUriInfo uri)) {
            return;
        }
        ResourceMethod m = uri.getMatchedResourceMethod();
        if (m == null || m.getConsumedTypes().isEmpty()
                || m.getConsumedTypes().stream().anyMatch(MediaType::isWildcardType)) {
            return;
        }
        throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the body with Content-Type: "
                + m.getConsumedTypes().get(0) + "; a request without a Content-Type is not taken.");
    }
}
