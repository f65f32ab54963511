package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.Jdbc.at;
import static org.gatehouse.store.internal.repo.Jdbc.instant;
import static org.gatehouse.store.internal.repo.Jdbc.query;
import static org.gatehouse.store.internal.repo.Jdbc.update;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.api.model.Validation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The tables {@code stream_consumer} and {@code dead_letter} (V009) over plain JDBC, next to the outbox. */
@Component(service = StreamConsumers.class)
public class StreamConsumersImpl implements StreamConsumers {
    static final int MAX_ERROR = 2000;
    static final String COLUMNS = "consumer_id, stream, position, attempts, next_attempt_at, last_success_at, "
            + "last_error, last_error_at, created_at";
    static final String DEAD_COLUMNS = "id, consumer_id, stream, outbox_sequence, event_id, attempts, error, "
            + "failed_at, status";
    static final String ENTRY_COLUMNS = "sequence, stream, event_id, community_id, payload, created_at, attempts";

    private final CayenneStore store;

    @Activate
    public StreamConsumersImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public ConsumerState register(String consumerId, String stream, StartAt start) {
        Validation.requireText(consumerId, "consumerId");
        Validation.requireText(stream, "stream");
        return store.withConnection(c -> {
            Optional<ConsumerState> existing = load(c, consumerId);
            if (existing.isPresent()) {
                return existing.get();
            }
            long position = switch (start.mode()) {
                case "oldest" -> 0L;
                case "time" -> one(c, "select coalesce(max(sequence), 0) from outbox where stream = ? and "
                        + "created_at < ?", stream, at(start.at()));
                default -> one(c, "select coalesce(max(sequence), 0) from outbox where stream = ?", stream);
            };
            update(c, "insert into stream_consumer (consumer_id, stream, position, attempts, created_at) "
                    + "values (?, ?, ?, 0, ?)", consumerId, stream, position, at(Instant.now()));
            return load(c, consumerId).orElseThrow();
        });
    }

    @Override
    public Optional<ConsumerState> consumer(String consumerId) {
        return store.query(c -> load(c, consumerId));
    }

    @Override
    public List<ConsumerState> consumers() {
        return store.query(c -> query(c, "select " + COLUMNS + " from stream_consumer order by consumer_id",
                Integer.MAX_VALUE, StreamConsumersImpl::state));
    }

    @Override
    public List<OutboxEntry> after(String stream, long position, int limit) {
        return store.query(c -> query(c, "select " + ENTRY_COLUMNS + " from outbox where stream = ? and "
                + "sequence > ? order by sequence", Math.max(1, Math.min(limit, 10_000)), StreamConsumersImpl::entry,
                stream, position));
    }

    @Override
    public long newest(String stream) {
        return store.query(c -> one(c, "select coalesce(max(sequence), 0) from outbox where stream = ?", stream));
    }

    @Override
    public void delivered(String consumerId, long sequence, Instant at) {
        store.withConnection(c -> require(update(c, "update stream_consumer set position = ?, attempts = 0, "
                + "next_attempt_at = null, last_success_at = ? where consumer_id = ? and position < ?", sequence,
                at(at), consumerId, sequence), c, consumerId));
    }

    @Override
    public int failed(String consumerId, String error, Instant at, Instant nextAttemptAt) {
        return store.withConnection(c -> {
            require(update(c, "update stream_consumer set attempts = attempts + 1, next_attempt_at = ?, "
                    + "last_error = ?, last_error_at = ? where consumer_id = ?", at(nextAttemptAt), cut(error), at(at),
                    consumerId), c, consumerId);
            return load(c, consumerId).orElseThrow().attempts();
        });
    }

    @Override
    public DeadLetter deadLetter(String consumerId, OutboxEntry entry, int attempts, String error, Instant at) {
        return store.withConnection(c -> {
            ConsumerState state = load(c, consumerId)
                    .orElseThrow(() -> new NotFoundException("stream consumer", consumerId));
            update(c, "insert into dead_letter (consumer_id, stream, outbox_sequence, event_id, attempts, error, "
                    + "failed_at, status) values (?, ?, ?, ?, ?, ?, ?, 'OPEN')", consumerId, state.stream(),
                    entry.sequence(), entry.eventId(), attempts, cut(error), at(at));
            update(c, "update stream_consumer set position = ?, attempts = 0, next_attempt_at = null, "
                    + "last_error = ?, last_error_at = ? where consumer_id = ? and position < ?", entry.sequence(),
                    cut(error), at(at), consumerId, entry.sequence());
            return query(c, "select " + DEAD_COLUMNS + " from dead_letter where consumer_id = ? and "
                    + "outbox_sequence = ? order by id desc", 1, StreamConsumersImpl::dead, consumerId,
                    entry.sequence()).get(0);
        });
    }

    @Override
    public List<DeadLetter> deadLetters(String consumerId, boolean openOnly, int limit) {
        String where = (consumerId == null ? "1 = 1" : "consumer_id = ?") + (openOnly ? " and status = 'OPEN'" : "");
        Object[] parameters = consumerId == null ? new Object[0] : new Object[] {consumerId};
        return store.query(c -> query(c, "select " + DEAD_COLUMNS + " from dead_letter where " + where
                + " order by id desc", Math.max(1, Math.min(limit, 10_000)), StreamConsumersImpl::dead, parameters));
    }

    @Override
    public void markPublishedUpTo(String stream, long sequence) {
        boolean any = store.query(c -> !query(c, "select sequence from outbox where stream = ? and sequence <= ? and "
                + "published_at is null", 1, rs -> rs.getLong(1), stream, sequence).isEmpty());
        if (any) { // nothing to write (and no disk sync) when every such event is marked already
            store.withConnection(c -> update(c, "update outbox set published_at = ? where stream = ? and "
                    + "sequence <= ? and published_at is null", at(Instant.now()), stream, sequence));
        }
    }

    private static Optional<ConsumerState> load(java.sql.Connection c, String consumerId) {
        return query(c, "select " + COLUMNS + " from stream_consumer where consumer_id = ?", 1,
                StreamConsumersImpl::state, consumerId).stream().findFirst();
    }

    private static int require(int updated, java.sql.Connection c, String consumerId) {
        if (updated == 0 && load(c, consumerId).isEmpty()) {
            throw new NotFoundException("stream consumer", consumerId);
        }
        return updated;
    }

    private static long one(java.sql.Connection c, String sql, Object... parameters) {
        return query(c, sql, 1, rs -> rs.getLong(1), parameters).get(0);
    }

    private static String cut(String error) {
        String e = error == null ? "" : error;
        return e.length() > MAX_ERROR ? e.substring(0, MAX_ERROR) : e;
    }

    static ConsumerState state(ResultSet rs) throws SQLException {
        return new ConsumerState(rs.getString("consumer_id"), rs.getString("stream"), rs.getLong("position"),
                rs.getInt("attempts"), instant(rs, "next_attempt_at"), instant(rs, "last_success_at"),
                rs.getString("last_error"), instant(rs, "last_error_at"), instant(rs, "created_at"));
    }

    static DeadLetter dead(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong("id"), rs.getString("consumer_id"), rs.getString("stream"),
                rs.getLong("outbox_sequence"), rs.getString("event_id"), rs.getInt("attempts"), rs.getString("error"),
                instant(rs, "failed_at"), rs.getString("status"));
    }

    static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong("sequence"), rs.getString("stream"), rs.getString("event_id"),
                rs.getString("community_id"), rs.getString("payload"), instant(rs, "created_at"),
                rs.getInt("attempts"));
    }
}
