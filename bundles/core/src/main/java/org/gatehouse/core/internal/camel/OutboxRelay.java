package org.gatehouse.core.internal.camel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultMessage;
import org.gatehouse.api.service.IdNumbers;
import org.gatehouse.api.service.OutboxRepository.OutboxEntry;
import org.gatehouse.api.service.StoreUnavailableException;
import org.gatehouse.api.service.StreamConsumers.ConsumerState;
import org.gatehouse.api.service.StreamConsumers;
import org.gatehouse.api.stream.Streams;
import org.gatehouse.core.api.AuditTrails;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the store's outbox holds to each consumer of each stream on its own: every consumer (a route reading
 * {@code gatehouse:<stream>}, by route id) has its position in the store. A consumer that fails is tried again with
 * exponential back-off — without holding back the other consumers of the stream or making them receive an event
 * again — and after its attempts the event becomes one of its dead letters and it goes on. A new consumer starts with
 * the events written after its route started, unless its endpoint says {@code ?startAt=oldest} or a time. Events every live consumer has taken
 * are marked published (retention may then delete them). Delivery is at least once and in order per consumer.
 */
@Component(service = {RoutesBuilder.class, OutboxRelay.class}, configurationPid = "org.gatehouse.core.outbox")
@Designate(ocd = OutboxRelay.Config.class)
public class OutboxRelay extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    static final String ROUTE_ID = "gatehouse-outbox-relay";
    /** How long one consumer is handed full batches in a round before the next consumer's turn. */
    static final long ROUND_BUDGET_NANOS = 1_000_000_000L;

    @ObjectClassDefinition(name = "Gatehouse outbox relay", description = "Delivers stored events to each consumer")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds between two rounds", min = "10", max = "60000")
        long periodMillis() default 500;

        @AttributeDefinition(description = "Events handed to one consumer per round at most", min = "1",
                max = "10000")
        int batchSize() default 200;

        @AttributeDefinition(description = "Attempts at one event before it becomes a dead letter of the consumer",
                min = "1", max = "1000")
        int maxAttempts() default 10;

        @AttributeDefinition(description = "Milliseconds before the first retry; each further one waits twice as long",
                min = "10", max = "3600000")
        long retryInitialMillis() default 1000;

        @AttributeDefinition(description = "Longest wait between two attempts (milliseconds)", min = "10",
                max = "86400000")
        long retryMaxMillis() default 300_000;

        @AttributeDefinition(description = "Milliseconds a consumer's route may take over one delivery before it is "
                + "reported as not answering (a failed attempt; its target may hang)", min = "1000", max = "86400000")
        long deliveryTimeoutMillis() default 120_000;

        @AttributeDefinition(description = "Fields of a population change's person every consumer receives "
                + "(of name, role, birthDate, phone, idNumber); blank: none")
        String personFields() default "name,role";

        @AttributeDefinition(description = "Consumers that receive other person fields: <consumer or route id>="
                + "<field>,<field>, several separated by ';', e.g. police-registry-feed=name,role,birthDate,idNumber")
        String[] consumerPersonFields() default {};
    }

    private final StreamConsumers consumers;
    private final Config config;
    private final Clock clock;
    private final DeliveryAudit audit;
    private final PersonFields personFields;
    private volatile IdNumbers idNumbers;
    /** The consumers' states as last read or written (the store is the truth; this saves a read per round). */
    private final Map<String, ConsumerState> states = new ConcurrentHashMap<>();
    /** Per stream, the sequence up to which events are marked published (so an idle round writes nothing). */
    private final Map<String, Long> marked = new ConcurrentHashMap<>();
    /** Each consumer's delivery in progress, on its own thread. */
    private final Map<String, Busy> busy = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "gatehouse-relay-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    @Activate
    public OutboxRelay(@Reference StreamConsumers consumers, @Reference AuditTrails trails, Config config) {
        this(consumers, trails, config, Clock.systemUTC());
    }

    public OutboxRelay(StreamConsumers consumers, AuditTrails trails, Config config, Clock clock) {
        this.consumers = consumers;
        this.config = config;
        this.clock = clock;
        this.audit = new DeliveryAudit(trails.of("integration"));
        this.personFields = new PersonFields(config.personFields(), config.consumerPersonFields(),
                () -> Optional.ofNullable(idNumbers));
    }

    /** Opens the sealed ID numbers of residents for the consumers configured for them (the whitelist's). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setIdNumbers(IdNumbers idNumbers) {
        this.idNumbers = idNumbers;
    }

    void unsetIdNumbers(IdNumbers idNumbers) {
        if (this.idNumbers == idNumbers) {
            this.idNumbers = null;
        }
    }

    @Override
    public void configure() {
        from("timer:gatehouse-outbox?delay=500&period=" + config.periodMillis())
                .routeId(ROUTE_ID)
                .routeDescription("Delivers the store's outbox to each consumer of the gatehouse: streams")
                .process(this::relay);
    }

    void relay(Exchange trigger) {
        relay(trigger.getContext());
    }

    /**
     * One round over every stream: each live consumer that is due and not still busy with an earlier round is handed
     * its events on a thread of its own, so a route that hangs on its target holds up nobody else. The round waits for
     * them up to {@link #roundWaitMillis()}; returns how many events were delivered in that time.
     */
    int relay(CamelContext context) {
        StreamComponent streams = context.getComponent(Streams.SCHEME, StreamComponent.class);
        try {
            Map<String, Future<Integer>> started = new LinkedHashMap<>();
            for (String stream : Streams.ALL) {
                for (StreamConsumer consumer : streams.consumersOf(stream)) {
                    start(context, stream, consumer, started);
                }
            }
            int delivered = await(started);
            for (String stream : Streams.ALL) {
                markPublished(stream, streams.consumersOf(stream));
            }
            return delivered;
        } catch (StoreUnavailableException e) {
            LOG.debug("Outbox not readable, database down: {}", e.getMessage());
            states.clear(); // read again once it is back
            marked.clear();
            return 0;
        }
    }

    /** Starts the consumer's delivery if it is due and not busy; reports it once when busy for too long. */
    private void start(CamelContext context, String stream, StreamConsumer consumer,
                       Map<String, Future<Integer>> started) {
        String id = consumer.consumerId();
        ConsumerState state = states.computeIfAbsent(id, i -> consumers.register(i, stream, consumer.startAt()));
        Instant now = clock.instant();
        Busy busy = this.busy.get(id);
        if (busy != null && !busy.future().isDone()) {
            if (!busy.reported() && Duration.between(busy.since(), now).toMillis() > config.deliveryTimeoutMillis()) {
                String error = "the route has not answered for " + Duration.between(busy.since(), now).toSeconds()
                        + " s (delivering since " + busy.since() + "): its target may hang; give its endpoint a "
                        + "timeout";
                consumers.failed(id, error, now, now);
                LOG.warn("Consumer {}: {}", id, error);
                states.put(id, consumers.consumer(id).orElseThrow());
                this.busy.put(id, new Busy(busy.future(), busy.since(), true));
            }
            return;
        }
        if (state.nextAttemptAt() == null || !now.isBefore(state.nextAttemptAt())) {
            Future<Integer> future = workers.submit(() -> deliver(context, consumer, state));
            this.busy.put(id, new Busy(future, now, false));
            started.put(id, future);
        }
    }

    /** Waits for this round's deliveries up to {@link #roundWaitMillis()}; a database down is the round's failure. */
    private int await(Map<String, Future<Integer>> started) {
        long deadline = System.nanoTime() + roundWaitMillis() * 1_000_000L;
        int delivered = 0;
        StoreUnavailableException down = null;
        for (Map.Entry<String, Future<Integer>> e : started.entrySet()) {
            try {
                delivered += e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillBusy) {
                // goes on on its own thread; the consumer is skipped until it is done
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof StoreUnavailableException unavailable) {
                    down = unavailable;
                } else {
                    LOG.warn("Delivery to consumer {} failed: {}", e.getKey(), String.valueOf(failed.getCause()));
                    states.remove(e.getKey()); // read again
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (down != null) {
            throw down;
        }
        return delivered;
    }

    /** How long a round waits for its deliveries before the next round (a slow consumer just stays busy). */
    long roundWaitMillis() {
        return Math.max(config.periodMillis(), 1000);
    }

    /** Marks the stream's events published up to where every live consumer is (all of them if none is live). */
    private void markPublished(String stream, List<StreamConsumer> live) {
        long taken = Long.MAX_VALUE;
        for (StreamConsumer consumer : live) {
            ConsumerState state = states.get(consumer.consumerId());
            if (state == null) {
                return; // not read yet (a new consumer, or the database was down): next round
            }
            taken = Math.min(taken, state.position());
        }
        if (live.isEmpty()) {
            taken = consumers.newest(stream); // nobody reads it now: a consumer that comes starts where it says
        }
        if (taken > 0 && taken != Long.MAX_VALUE && taken > marked.getOrDefault(stream, 0L)) {
            consumers.markPublishedUpTo(stream, taken);
            marked.put(stream, taken);
        }
    }

    @Deactivate
    void deactivate() {
        workers.shutdownNow();
    }

    /** A consumer's delivery on its thread: since when, and whether it was reported as not answering. */
    private record Busy(Future<Integer> future, Instant since, boolean reported) {
    }

    /**
     * Hands the consumer its next events, batch after batch while they come full (for at most
     * {@link #ROUND_BUDGET_NANOS}), until one fails (back-off). Its position is written once per run of events taken
     * (not per event): after a crash in between, those events come again — delivery is at least once.
     */
    private int deliver(CamelContext context, StreamConsumer consumer, ConsumerState state) {
        String id = state.consumerId();
        int delivered = 0;
        int failedBefore = state.attempts(); // failed attempts at the next event
        long position = state.position();
        long taken = -1; // the last event taken whose position is not written yet
        long budgetEnd = System.nanoTime() + ROUND_BUDGET_NANOS;
        while (true) {
            List<OutboxEntry> batch = consumers.after(state.stream(), position, config.batchSize());
            for (OutboxEntry entry : batch) {
                PersonFields.Shaped shaped = personFields.shape(id, entry);
                Delivery delivery = consumer.deliverEvent(message(context, entry, shaped.body()));
                int attempts = failedBefore + 1;
                if (delivery.ok()) {
                    audit.outcome(consumer, entry, delivery.handled() ? DeliveryAudit.REFUSED : DeliveryAudit.DELIVERED,
                            delivery, shaped, attempts, delivery.handled() ? "refused by the target, handled by the "
                                    + "route: " + delivery.handledError() : null);
                    taken = entry.sequence();
                    position = taken;
                    failedBefore = 0;
                    delivered++;
                    continue;
                }
                Instant now = clock.instant();
                if (taken >= 0) {
                    consumers.delivered(id, taken, now);
                    taken = -1;
                }
                String error = String.valueOf(delivery.failure().getMessage());
                if (attempts >= config.maxAttempts()) {
                    consumers.deadLetter(id, entry, attempts, error, now);
                    audit.outcome(consumer, entry, DeliveryAudit.DEAD_LETTER, delivery, shaped, attempts, error);
                    LOG.warn("Consumer {} gave up on {} event {} after {} attempts; it is a dead letter now: {}", id,
                            entry.stream(), entry.eventId(), attempts, error);
                    position = entry.sequence();
                    failedBefore = 0;
                    continue;
                }
                Instant next = now.plus(backoff(attempts));
                consumers.failed(id, error, now, next);
                LOG.warn("Consumer {} failed at {} event {} (attempt {} of {}); next attempt at {}: {}", id,
                        entry.stream(), entry.eventId(), attempts, config.maxAttempts(), next, error);
                LOG.debug("Consumer {} failure at event {}", id, entry.eventId(), delivery.failure());
                states.put(id, consumers.consumer(id).orElseThrow());
                return delivered;
            }
            if (batch.size() < config.batchSize() || System.nanoTime() > budgetEnd) {
                break;
            }
        }
        if (taken >= 0) {
            consumers.delivered(id, taken, clock.instant());
        }
        states.put(id, consumers.consumer(id).orElseThrow());
        return delivered;
    }

    /**
     * Hands one stored event to a consumer now, outside the rounds (a dead letter replayed by someone): shaped for the
     * consumer like every delivery (its person fields only) and, when taken, audited like one; {@code why} says who
     * asked. The caller records a failure its own way.
     */
    public Delivery handOver(StreamConsumer consumer, OutboxEntry entry, String why) {
        PersonFields.Shaped shaped = personFields.shape(consumer.consumerId(), entry);
        Delivery delivery = consumer.deliverEvent(message(consumer.getEndpoint().getCamelContext(), entry,
                shaped.body()));
        if (delivery.ok()) {
            audit.outcome(consumer, entry, delivery.handled() ? DeliveryAudit.REFUSED : DeliveryAudit.DELIVERED, delivery,
                    shaped, 1, delivery.handled() ? why + "; refused by the target, handled by the route: "
                            + delivery.handledError() : why);
        }
        return delivery;
    }

    /** The wait before attempt {@code attempts + 1}: the initial wait, doubled per failure, at most the longest. */
    Duration backoff(int attempts) {
        long wait = config.retryInitialMillis();
        for (int i = 1; i < attempts && wait < config.retryMaxMillis(); i++) {
            wait *= 2;
        }
        return Duration.ofMillis(Math.min(wait, config.retryMaxMillis()));
    }

    private static Message message(CamelContext context, OutboxEntry entry, String body) {
        Message message = new DefaultMessage(context);
        message.setBody(body);
        message.setHeader(Streams.HEADER_EVENT_ID, entry.eventId());
        message.setHeader(Streams.HEADER_COMMUNITY_ID, entry.communityId());
        message.setHeader(Streams.HEADER_STREAM, entry.stream());
        return message;
    }
}
