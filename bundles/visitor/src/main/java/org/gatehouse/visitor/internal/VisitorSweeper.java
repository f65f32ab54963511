package org.gatehouse.visitor.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link VisitorManager#sweep} every {@code sweepMinutes} (first run one minute after start). */
@Component(service = VisitorSweeper.class, immediate = true, configurationPid = VisitorConfig.PID)
public class VisitorSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(VisitorSweeper.class);
    private final ScheduledExecutorService executor;

    @Activate
    public VisitorSweeper(@Reference VisitorManager visitors, VisitorConfig config) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-visitor-sweep");
            t.setDaemon(true);
            return t;
        });
        if (config.sweepMinutes() > 0) {
            executor.scheduleWithFixedDelay(() -> {
                try {
                    visitors.sweep(visitors.now());
                } catch (RuntimeException e) {
                    LOG.warn("Visitor sweep failed, retried next round: {}", e.toString());
                }
            }, 1, config.sweepMinutes(), TimeUnit.MINUTES);
        }
    }

    @Deactivate
    public void deactivate() {
        executor.shutdownNow();
    }
}
