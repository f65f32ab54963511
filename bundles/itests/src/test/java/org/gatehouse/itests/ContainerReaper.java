package org.gatehouse.itests;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Stops every Karaf container a test class left running. Pax Exam stops its container after a class
 * that ran, but not one that never came up (a failed boot throws before Pax Exam owns the process), and
 * such a container keeps its ports, its CPU and its data folder until someone kills it. The containers
 * are child processes of this test JVM, so after each class (and when the JVM exits) every descendant
 * process still alive is stopped: first asked, then killed. Registered with the JUnit Platform through
 * {@code META-INF/services}, so every Pax Exam class gets it without doing anything.
 */
public class ContainerReaper implements TestExecutionListener {
    private static final long GRACE_SECONDS = 10;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ContainerReaper::reap, "pax-exam-container-reaper"));
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (identifier.getSource().filter(ClassSource.class::isInstance).isPresent()) {
            reap();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        reap();
    }

    /** Stops every process this JVM started (directly or not) that is still alive; says which. */
    static void reap() {
        List<ProcessHandle> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        for (ProcessHandle process : alive) {
            System.err.println("[itests] stopping a container left running by a test class: pid " + process.pid()
                    + " " + process.info().commandLine().map(c -> c.length() > 160 ? c.substring(0, 160) + "…" : c)
                            .orElse(""));
            process.destroy();
        }
        for (ProcessHandle process : alive) {
            try {
                process.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                process.destroyForcibly();
            }
        }
    }
}
