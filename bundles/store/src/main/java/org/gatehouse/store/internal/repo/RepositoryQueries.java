package org.gatehouse.store.internal.repo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.cayenne.ObjectContext;
import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.exp.ExpressionFactory;
import org.apache.cayenne.query.ObjectSelect;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.model.CommunityRow;
import org.gatehouse.store.internal.model.Row;

/** What the repositories share: the scope as a query condition, lookups in scope, ids, the clock, limits. */
final class RepositoryQueries {
    static final int MAX_LIMIT = 10_000;

    private RepositoryQueries() {
    }

    static Scope scope(Scope scope) {
        return Validation.require(scope, "scope");
    }

    /** The restriction of {@code property} (a community id) to the scope; null when the scope sees everything. */
    static Expression inScope(Scope scope, String property) {
        scope(scope);
        if (scope.everything()) {
            return null;
        }
        if (scope.communityIds().isEmpty()) {
            return ExpressionFactory.expFalse();
        }
        return ExpressionFactory.inExp(property, scope.communityIds());
    }

    static Expression and(Expression... parts) {
        List<Expression> present = new ArrayList<>();
        for (Expression part : parts) {
            if (part != null) {
                present.add(part);
            }
        }
        return present.isEmpty() ? null : ExpressionFactory.and(present);
    }

    static Expression eq(String property, Object value) {
        return ExpressionFactory.matchExp(property, value);
    }

    static <T extends Row> ObjectSelect<T> select(Class<T> type, Expression where) {
        ObjectSelect<T> query = ObjectSelect.query(type);
        return where == null ? query : query.where(where);
    }

    /** The row with this id if it exists and its community is in scope; otherwise empty (no existence leak). */
    static <T extends Row> Optional<T> find(ObjectContext context, Class<T> type, String id, Scope scope,
                                            String communityProperty) {
        scope(scope);
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        T row = ObjectSelect.query(type).where(eq("id", id)).selectOne(context);
        if (row == null || !scope.allows(row.str(communityProperty))) {
            return Optional.empty();
        }
        return Optional.of(row);
    }

    static <T extends Row> Optional<T> find(ObjectContext context, Class<T> type, String id, Scope scope) {
        return find(context, type, id, scope, "communityId");
    }

    static <T extends Row> T require(ObjectContext context, Class<T> type, String id, Scope scope, String entity) {
        return find(context, type, id, scope).orElseThrow(() -> new NotFoundException(entity, id));
    }

    /** The community must exist in the caller's scope ({@link NotFoundException} otherwise, no existence leak). */
    static void requireCommunity(ObjectContext context, Scope scope, String communityId) {
        if (find(context, CommunityRow.class, communityId, scope, "id").isEmpty()) {
            throw new NotFoundException("community", communityId);
        }
    }

    /** Rows in the caller's scope, and of {@code communityId} when it is given (which must then exist in scope). */
    static Expression inCommunity(ObjectContext context, Scope scope, String communityId) {
        Expression where = inScope(scope, "communityId");
        if (communityId == null) {
            return where;
        }
        requireCommunity(context, scope, communityId);
        return and(where, eq("communityId", communityId));
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Now, at the precision both databases keep (microseconds). */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static Instant micros(Instant value) {
        return value == null ? null : value.truncatedTo(ChronoUnit.MICROS);
    }

    static int limit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return Math.min(limit, MAX_LIMIT);
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        return value == null || value.isEmpty() ? null : Enum.valueOf(type, value);
    }

    static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
