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

import org.gatehouse.api.service.ConflictException;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.api.model.Validation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables {@code stream_consumer} and {@code dead_letter} (V009, V011) over plain JDBC, next to the outbox; what
 * retention removed of each stream is in {@code outbox_purged} (written by {@link RetentionRepositoryImpl}).
 */
@Component(service = StreamConsumers.class)
public class StreamConsumersImpl implements StreamConsumers {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumersImpl.class);
    static final int MAX_ERROR = 2000;
    static final String COLUMNS = "consumer_id, stream, position, attempts, next_attempt_at, last_success_at, "
            + "last_error, last_error_at, created_at, failing_since, start_note";
    static final String DEAD_COLUMNS = "id, consumer_id, stream, outbox_sequence, event_id, attempts, error, "
            + "failed_at, status, resolved_by, resolved_at, resolution";
    static final int MAX_NOTE = 500;
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
            String note = startNote(c, stream, start, position);
            update(c, "insert into stream_consumer (consumer_id, stream, position, attempts, created_at, start_note) "
                    + "values (?, ?, ?, 0, ?, ?)", consumerId, stream, position, at(Instant.now()), note);
            if (note != null) {
                LOG.warn("Stream consumer {} {}", consumerId, note);
            }
            return load(c, consumerId).orElseThrow();
        });
    }

    /**
     * What a new consumer should know when it asked for events retention has removed ({@code oldest} after a purge
     * of its stream, or a time not after the newest event purged), else null.
     */
    private static String startNote(java.sql.Connection c, String stream, StartAt start, long position) {
        if (!"oldest".equals(start.mode()) && !"time".equals(start.mode())) {
            return null;
        }
        List<Instant> purged = query(c, "select last_created_at from outbox_purged where stream = ?", 1,
                rs -> instant(rs, "last_created_at"), stream);
        if (purged.isEmpty() || ("time".equals(start.mode()) && start.at().isAfter(purged.get(0)))) {
            return null;
        }
        List<Instant> first = query(c, "select created_at from outbox where stream = ? and sequence > ? "
                + "order by sequence", 1, rs -> instant(rs, "created_at"), stream, position);
        String note = "asked for events from " + ("oldest".equals(start.mode()) ? "the oldest" : start.at())
                + "; the oldest kept is " + (first.isEmpty() ? "none (none kept yet)" : first.get(0))
                + " (retention removed earlier ones, written up to " + purged.get(0) + ")";
        return note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE) : note;
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
                + "next_attempt_at = null, failing_since = null, last_success_at = ? where consumer_id = ? and position < ?", sequence,
                at(at), consumerId, sequence), c, consumerId));
    }

    @Override
    public int failed(String consumerId, String error, Instant at, Instant nextAttemptAt) {
        return store.withConnection(c -> {
            require(update(c, "update stream_consumer set attempts = attempts + 1, next_attempt_at = ?, "
                    + "last_error = ?, last_error_at = ?, failing_since = coalesce(failing_since, ?) "
                    + "where consumer_id = ?", at(nextAttemptAt), cut(error), at(at), at(at), consumerId), c,
                    consumerId);
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
                    + "last_error = ?, last_error_at = ?, failing_since = coalesce(failing_since, ?) "
                    + "where consumer_id = ? and position < ?", entry.sequence(), cut(error), at(at), at(at),
                    consumerId, entry.sequence());
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

    @Override
    public Optional<DeadLetter> deadLetter(long id) {
        return store.query(c -> loadDead(c, id));
    }

    @Override
    public Optional<OutboxEntry> deadLetterEvent(long id) {
        return store.query(c -> query(c, "select " + ENTRY_COLUMNS + " from outbox where sequence = (select "
                + "outbox_sequence from dead_letter where id = ?)", 1, StreamConsumersImpl::entry, id)
                .stream().findFirst());
    }

    @Override
    public DeadLetter resolve(long id, String status, String by, Instant at, String note) {
        if (!DeadLetter.REPLAYED.equals(status) && !DeadLetter.SKIPPED.equals(status)) {
            throw new IllegalArgumentException("status must be REPLAYED or SKIPPED, not " + status);
        }
        Validation.requireText(by, "by");
        Validation.require(at, "at");
        return store.withConnection(c -> {
            int updated = update(c, "update dead_letter set status = ?, resolved_by = ?, resolved_at = ?, "
                    + "resolution = ? where id = ? and status = 'OPEN'", status, cut(by, 200), at(at),
                    note == null || note.isBlank() ? null : cut(note, MAX_NOTE), id);
            return stillOpen(c, id, updated);
        });
    }

    @Override
    public DeadLetter replayFailed(long id, String error, Instant at) {
        Validation.require(at, "at");
        return store.withConnection(c -> stillOpen(c, id, update(c, "update dead_letter set attempts = attempts + 1, "
                + "error = ?, failed_at = ? where id = ? and status = 'OPEN'", cut(error), at(at), id)));
    }

    /** The letter after an update of an open one; none updated: unknown id, or it was resolved already. */
    private static DeadLetter stillOpen(java.sql.Connection c, long id, int updated) {
        DeadLetter letter = loadDead(c, id).orElseThrow(() -> new NotFoundException("dead letter", String.valueOf(id)));
        if (updated == 0) {
            throw new ConflictException("dead letter " + id + " was already " + letter.status() + " by "
                    + letter.resolvedBy() + " at " + letter.resolvedAt());
        }
        return letter;
    }

    private static Optional<DeadLetter> loadDead(java.sql.Connection c, long id) {
        return query(c, "select " + DEAD_COLUMNS + " from dead_letter where id = ?", 1, StreamConsumersImpl::dead, id)
                .stream().findFirst();
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
        return cut(error, MAX_ERROR);
    }

    private static String cut(String text, int max) {
        String e = text == null ? "" : text;
        return e.length() > max ? e.substring(0, max) : e;
    }

    static ConsumerState state(ResultSet rs) throws SQLException {
        return new ConsumerState(rs.getString("consumer_id"), rs.getString("stream"), rs.getLong("position"),
                rs.getInt("attempts"), instant(rs, "next_attempt_at"), instant(rs, "last_success_at"),
                rs.getString("last_error"), instant(rs, "last_error_at"), instant(rs, "created_at"),
                instant(rs, "failing_since"), rs.getString("start_note"));
    }

    static DeadLetter dead(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong("id"), rs.getString("consumer_id"), rs.getString("stream"),
                rs.getLong("outbox_sequence"), rs.getString("event_id"), rs.getInt("attempts"), rs.getString("error"),
                instant(rs, "failed_at"), rs.getString("status"), rs.getString("resolved_by"),
                instant(rs, "resolved_at"), rs.getString("resolution"));
    }

    static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong("sequence"), rs.getString("stream"), rs.getString("event_id"),
                rs.getString("community_id"), rs.getString("payload"), instant(rs, "created_at"),
                rs.getInt("attempts"));
    }
}
