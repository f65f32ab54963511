package org.gatehouse.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.gatehouse.api.service.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class IdCompleterTest {
    @Test
    void offersTheStoredIdsWithWhatTheyNameAndNothingWhenTheStoreIsDown() {
        IdCompleter codes = new IdCompleter() {
            @Override
            protected List<Candidate> candidates() {
                return List.of(IdCandidates.candidate("SUNSHINE", "阳光社区"), IdCandidates.candidate("RIVER", "河畔"));
            }
        };
        List<Candidate> described = new ArrayList<>();
        codes.completeCandidates(null, null, described);
        assertEquals(List.of("SUNSHINE 阳光社区", "RIVER 河畔"),
                described.stream().map(c -> c.value() + " " + c.descr()).toList());

        List<String> matched = new ArrayList<>();
        codes.complete(null, line("SUN"), matched);
        assertEquals(List.of("SUNSHINE "), matched);

        IdCompleter down = new IdCompleter() {
            @Override
            protected List<Candidate> candidates() {
                throw new StoreUnavailableException("database down", null);
            }
        };
        List<Candidate> none = new ArrayList<>();
        down.completeCandidates(null, null, none);
        assertTrue(none.isEmpty());
    }

    private static CommandLine line(String word) {
        return new CommandLine() {
            public int getCursorArgumentIndex() {
                return 0;
            }

            public String getCursorArgument() {
                return word;
            }

            public int getArgumentPosition() {
                return word.length();
            }

            public String[] getArguments() {
                return new String[] {word};
            }

            public int getBufferPosition() {
                return word.length();
            }

            public String getBuffer() {
                return word;
            }
        };
    }
}
