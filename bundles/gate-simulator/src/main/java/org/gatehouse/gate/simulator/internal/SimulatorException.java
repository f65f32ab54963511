package org.gatehouse.gate.simulator.internal;

/** A run cannot start: the message says why, in words for the shell and the log. */
public class SimulatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulatorException(String message) {
        super(message);
    }
}
