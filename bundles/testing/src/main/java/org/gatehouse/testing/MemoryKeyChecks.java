package org.gatehouse.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gatehouse.api.service.StoreUnavailableException;

/**
 * Key checks as the store keeps them: the first record of a purpose wins. {@link #values} stands for what the
 * database holds made with each purpose's key; {@link #down} makes every call fail like a database that is down.
 */
public class MemoryKeyChecks implements org.gatehouse.api.service.KeyChecks {
    public final Map<String, KeyCheck> records = new ConcurrentHashMap<>();
    public final Map<String, List<KeyedValue>> values = new ConcurrentHashMap<>();
    public volatile boolean down;

    private void available() {
        if (down) {
            throw new org.gatehouse.api.service.StoreUnavailableException("database unavailable (test)", null);
        }
    }

    @Override
    public Optional<KeyCheck> recorded(String purpose) {
        available();
        return Optional.ofNullable(records.get(purpose));
    }

    @Override
    public KeyCheck record(String purpose, String checkValue, String keyFile) {
        available();
        return records.computeIfAbsent(purpose, p -> new KeyCheck(p, checkValue, keyFile, Instant.now()));
    }

    @Override
    public List<KeyedValue> keyedValues(String purpose, int limit) {
        available();
        List<KeyedValue> all = values.getOrDefault(purpose, List.of());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
}
