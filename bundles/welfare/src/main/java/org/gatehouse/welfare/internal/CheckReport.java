package org.gatehouse.welfare.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What one run of the detectors did, as of a time: ids opened, escalated, closed by a passage; problems met. */
public final class CheckReport {
    private final Instant asOf;
    private final List<String> opened = new ArrayList<>();
    private final List<String> escalated = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    CheckReport(Instant asOf) {
        this.asOf = asOf;
    }

    synchronized void opened(String id) {
        opened.add(id);
    }

    synchronized void escalated(String id) {
        escalated.add(id);
    }

    synchronized void closed(String id) {
        closed.add(id);
    }

    synchronized void problem(String text) {
        problems.add(text);
    }

    public Instant asOf() {
        return asOf;
    }

    public synchronized List<String> opened() {
        return List.copyOf(opened);
    }

    public synchronized List<String> escalated() {
        return List.copyOf(escalated);
    }

    public synchronized List<String> closed() {
        return List.copyOf(closed);
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** The report as the API answers it. */
    public synchronized Summary summary() {
        return new Summary(asOf, List.copyOf(opened), List.copyOf(escalated), List.copyOf(closed),
                List.copyOf(problems));
    }

    public record Summary(Instant asOf, List<String> opened, List<String> escalated, List<String> closed,
                          List<String> problems) {
    }
}
