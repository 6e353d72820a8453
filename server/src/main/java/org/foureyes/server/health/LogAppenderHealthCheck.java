package org.foureyes.server.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import org.foureyes.server.core.LogAppender;

/**
 * Unhealthy when the appender's writer thread is not running, an append has waited longer than
 * {@code stuckAfter} (the queue is not moving), or the last batch failed (usually the database).
 */
public class LogAppenderHealthCheck extends HealthCheck {
    private final LogAppender appender;
    private final Duration stuckAfter;

    public LogAppenderHealthCheck(LogAppender appender, Duration stuckAfter) {
        this.appender = appender;
        this.stuckAfter = stuckAfter;
    }

    @Override
    protected Result check() {
        if (!appender.isRunning()) {
            return Result.unhealthy("the log appender's writer thread is not running");
        }
        long waited = appender.oldestWaitMillis();
        if (waited > stuckAfter.toMillis()) {
            return Result.unhealthy("the oldest log append has waited %d ms (limit %d ms); %d appends queued",
                    waited, stuckAfter.toMillis(), appender.queueDepth());
        }
        String failure = appender.lastFailure();
        if (failure != null) {
            return Result.unhealthy("the last log append batch failed and was rolled back: %s", failure);
        }
        return Result.healthy("writer running, %d appends queued, oldest waited %d ms",
                appender.queueDepth(), waited);
    }
}
