package org.gatehouse.gate.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.gatehouse.portal.api.Doc;
import org.junit.jupiter.api.Test;

/** The live feed hands a passage only to the screens of its community, and survives bad events and gone screens. */
class PassageFeedTest {
    @Test
    void aPassageReachesOnlyItsCommunitysScreens() {
        PassageFeed feed = new PassageFeed();
        List<Doc> mine = new ArrayList<>();
        List<Doc> theirs = new ArrayList<>();
        Runnable stop = feed.subscribe("C1", mine::add);
        feed.subscribe("C2", theirs::add);
        feed.subscribe("C1", p -> {
            throw new IllegalStateException("this screen's browser is gone");
        });
        feed.publish("{\"id\":\"p1\",\"communityId\":\"C1\",\"decision\":{\"verdict\":\"DENY\","
                + "\"reasons\":[{\"code\":\"STRANGER\",\"detail\":null}]}}");
        feed.publish("not json");
        feed.publish("{\"id\":\"p2\",\"communityId\":\"C3\"}");
        assertEquals(1, mine.size(), "a failing screen does not keep a passage from the others");
        assertEquals("p1", mine.get(0).text("id"));
        assertEquals("STRANGER", LivePassagesView.reasons(mine.get(0)));
        assertEquals(0, theirs.size(), "another community's screens never see it");
        stop.run();
        feed.publish("{\"id\":\"p3\",\"communityId\":\"C1\"}");
        assertEquals(1, mine.size(), "a closed screen gets nothing more");
        assertEquals(2, feed.listeners());
    }
}
