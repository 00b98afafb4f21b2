package dev.deckhand.drain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deckhand.core.event.BadEventException;
import dev.deckhand.core.event.EventEnvelope;
import dev.deckhand.core.event.EventTypes;
import dev.deckhand.core.event.SpotInstanceNotice;
import dev.deckhand.drain.planner.DrainRequest;
import dev.deckhand.drain.planner.DrainedFor;
import dev.deckhand.drain.planner.Signal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EC2 notices, each as the DrainRequest it becomes: no emulator. */
class Ec2NoticesTest {

    private static final Instant TIME = Instant.parse("2026-11-22T10:00:00Z");
    private static final String ID = "i-1234567890abcdef0";
    private static final EventEnvelope EVENT = new EventEnvelope("e-1", EventTypes.SOURCE_EC2, EventTypes.SPOT_INTERRUPTION_WARNING,
            "123456789012", "us-east-2", TIME, List.of(), null);

    @Test
    void spotTerminate_deadlineTwoMinutesOn_notAStop() {
        DrainRequest request = Ec2Notices.spotWarning(EVENT, new SpotInstanceNotice(ID, "terminate"));

        assertEquals(Signal.SPOT_INTERRUPTION, request.signal());
        assertEquals(TIME.plusSeconds(120), request.deadline());
        assertEquals(DrainedFor.TERMINATION, request.drainedFor());
    }

    @Test
    void spotStop_isAStop_andHibernate_startsAtOnce() {
        assertEquals(DrainedFor.STOP, Ec2Notices.spotWarning(EVENT, new SpotInstanceNotice(ID, "stop")).drainedFor());
        DrainRequest hibernate = Ec2Notices.spotWarning(EVENT, new SpotInstanceNotice(ID, "hibernate"));
        assertEquals(DrainedFor.STOP, hibernate.drainedFor());
        assertEquals(TIME, hibernate.deadline());
    }

    @Test
    void rebalanceRecommendation_hasNoDeadline_andDrainsForTheRebalance() {
        DrainRequest request = Ec2Notices.rebalanceRecommendation(EVENT, new SpotInstanceNotice(ID, null));

        assertEquals(Signal.REBALANCE_RECOMMENDATION, request.signal());
        assertNull(request.deadline());
        assertEquals(DrainedFor.REBALANCE, request.drainedFor());
    }

    @Test
    void stateChange_runningReactivates_stoppingDrainsForAStop_otherStatesAreRefused() {
        assertEquals(Signal.INSTANCE_RUNNING, Ec2Notices.stateChange(EVENT, new InstanceStateChange(ID, "running")).signal());
        DrainRequest stopping = Ec2Notices.stateChange(EVENT, new InstanceStateChange(ID, "stopping"));
        assertEquals(Signal.STATE_CHANGE, stopping.signal());
        assertEquals(DrainedFor.STOP, stopping.drainedFor());
        assertEquals(DrainedFor.TERMINATION, Ec2Notices.stateChange(EVENT, new InstanceStateChange(ID, "shutting-down")).drainedFor());
        BadEventException error = assertThrows(BadEventException.class,
                () -> Ec2Notices.stateChange(EVENT, new InstanceStateChange(ID, "stopped")));
        assertTrue(error.getMessage().contains("detail.state"), error.getMessage());
    }
}
