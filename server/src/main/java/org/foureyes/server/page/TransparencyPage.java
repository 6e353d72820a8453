package org.foureyes.server.page;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.assets.AssetServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The public transparency page (design: {@code GET /}; docs/page.md): static files from the
 * classpath folder {@code assets/}, no build step.
 *
 * <p>How it lives next to Jersey, which keeps its default mapping {@code /*} (every resource's
 * {@code @Path} already starts with {@code /v1}): servlet mappings are matched exact first, then
 * longest prefix, so
 * <ul>
 *   <li>{@link #bundle()} (Dropwizard's {@link AssetsBundle}) serves {@code /assets/*}, which wins
 *       over Jersey's {@code /*} as the longer prefix;</li>
 *   <li>{@link #register} maps a second {@link AssetServlet} to {@code ""}, the servlet pattern that
 *       matches exactly the context root {@code /}, and serves {@code assets/index.html} there.</li>
 * </ul>
 * Every other path, {@code /v1/...} included, still reaches Jersey (and its problem+json 404).
 */
public final class TransparencyPage {
    /** Classpath folder of the page's files. */
    public static final String RESOURCE_PATH = "/assets/";
    /** Where the page's files are served. */
    public static final String URI_PATH = "/assets/";
    public static final String INDEX = "index.html";

    /**
     * Content-Security-Policy of the page: scripts, styles and requests only from this origin, no
     * inline script, no plugins, not framed. The page fetches nothing from outside.
     */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private TransparencyPage() {
    }

    /** The bundle serving {@code /assets/*}; add it in {@code initialize}. */
    public static AssetsBundle bundle() {
        return new AssetsBundle(RESOURCE_PATH, URI_PATH, INDEX, "page-assets");
    }

    /** {@code GET /} serves the page, and the page's responses get their security headers; call in {@code run}. */
    public static void register(Environment environment) {
        environment.servlets()
                .addServlet("page-root", new AssetServlet(RESOURCE_PATH, "/", INDEX, StandardCharsets.UTF_8))
                .addMapping("");
        environment.servlets().addFilter("page-headers", new HeadersFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "", URI_PATH + "*");
    }

    /** Security headers for the page and its files. */
    static final class HeadersFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (response instanceof HttpServletResponse http) {
                http.setHeader("Content-Security-Policy", CSP);
                http.setHeader("X-Content-Type-Options", "nosniff");
                http.setHeader("Referrer-Policy", "no-referrer");
                // Revalidate on every load (the servlet answers 304 by ETag), so a visitor never
                // runs yesterday's verification code against today's log.
                http.setHeader("Cache-Control", "no-cache");
            }
            chain.doFilter(request, response);
        }
    }
}
