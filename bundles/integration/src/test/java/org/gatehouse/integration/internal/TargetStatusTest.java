package org.gatehouse.integration.internal;

import static org.gatehouse.integration.internal.FeedHarness.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.gatehouse.api.service.Scope;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.service.StreamConsumers.ConsumerState;
import org.gatehouse.integration.internal.shell.IntegrationTargetsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-target status: backlog from the consumers' positions, scoped to the caller's communities, shown by the shell. */
class TargetStatusTest {
    @TempDir
    Path dir;

    /** Streams: population-changes newest 42, alerts newest 7; the police consumer is at 40, alerts unknown yet. */
    final StreamConsumers consumers = (StreamConsumers) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {StreamConsumers.class}, (proxy, method, args) -> switch (method.getName()) {
                case "newest" -> "population-changes".equals(args[0]) ? 42L : 7L;
                case "consumer" -> "population-changes/gatehouse-integration-police-population-changes".equals(args[0])
                        ? Optional.of(new ConsumerState((String) args[0], "population-changes", 40, 0, null, null, null,
                        null, Instant.EPOCH)) : Optional.empty();
                default -> throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void backlogScopeAndShell() {
        TargetBoard board = new TargetBoard(consumers);
        new IntegrationTarget(board, config("name", "police", "kind", "webhook", "url", "https://registry.example/in",
                "secret", "k", "streams", "population-changes,alerts", "communities", "c1"), Clock.systemUTC());
        new IntegrationTarget(board, config("name", "housing", "kind", "csv", "directory", dir.toString(),
                "communities", "c2"), Clock.systemUTC());
        new IntegrationTarget(board, config("name", "broken", "kind", "webhook"), Clock.systemUTC());

        TargetStatus.View police = board.views(Scope.all()).stream().filter(v -> v.name().equals("police")).findFirst()
                .orElseThrow();
        assertEquals(Map.of("population-changes", 2L, "alerts", -1L), police.backlog());
        assertEquals("webhook:https://registry.example/in", police.destination(), "no secret, no query");

        assertEquals(List.of("police"), board.views(Scope.of("c1")).stream().map(TargetStatus.View::name).toList(),
                "an office sees the targets of its communities only");
        assertEquals(3, board.views(Scope.all()).size());

        String en = IntegrationTargetsCommand.render(board, Scope.all(), Locale.ROOT);
        assertTrue(en.contains("population-changes 2, alerts ?"), en);
        assertTrue(en.contains("broken: configuration rejected, nothing runs: target 'broken': url is required"), en);
        String zh = IntegrationTargetsCommand.render(board, Scope.all(), Locale.SIMPLIFIED_CHINESE);
        assertTrue(zh.contains("配置错误") && zh.contains("积压"), zh);
    }

    @Test
    void aTargetWhoseRoutesDoNotRunSaysSo() {
        TargetStatus st = new TargetStatus("police", "webhook", List.of("population-changes"), java.util.Set.of(),
                "webhook:https://registry.example/in", null);
        assertEquals("OK", st.view(Map.of()).state());
        TargetStatus.View notRunning = st.view(Map.of(), List.of("gatehouse-integration-police-population-changes"));
        assertEquals("NOT_RUNNING", notRunning.state());
        assertTrue(notRunning.lastError().contains("gatehouse-integration-police-population-changes"),
                notRunning.lastError());
    }
}
