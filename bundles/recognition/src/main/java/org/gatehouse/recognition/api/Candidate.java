package org.gatehouse.recognition.api;

/** A gallery search hit: subject and cosine similarity (-1..1, higher = more similar). */
public record Candidate(String subjectId, float score) {
}
