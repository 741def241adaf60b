package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole state x event table of {@link DialogTransitions#next}, written out. */
class DialogTransitionsTest {

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource({
        "UNCONFIRMED, PROVISIONAL, EARLY",
        "UNCONFIRMED, SUCCESS, CONFIRMED_NA",
        "UNCONFIRMED, FAILURE, ENDED",
        "UNCONFIRMED, TRANSACTION_GONE, ENDED",
        "UNCONFIRMED, ACK, UNCONFIRMED",
        "UNCONFIRMED, BYE, UNCONFIRMED",
        "UNCONFIRMED, REQUEST_WITHIN, UNCONFIRMED",
        "UNCONFIRMED, TIMEOUT, UNCONFIRMED",
        "UNCONFIRMED, LOCAL_END, UNCONFIRMED",

        "EARLY, PROVISIONAL, EARLY",
        "EARLY, SUCCESS, CONFIRMED_NA",
        "EARLY, FAILURE, ENDED",
        "EARLY, TRANSACTION_GONE, ENDED",
        "EARLY, ACK, EARLY",
        "EARLY, BYE, ENDED",
        "EARLY, REQUEST_WITHIN, EARLY",
        "EARLY, TIMEOUT, EARLY",
        "EARLY, LOCAL_END, EARLY",

        "CONFIRMED_NA, PROVISIONAL, CONFIRMED_NA",
        "CONFIRMED_NA, SUCCESS, CONFIRMED_NA",
        "CONFIRMED_NA, FAILURE, CONFIRMED_NA",
        "CONFIRMED_NA, TRANSACTION_GONE, CONFIRMED_NA",
        "CONFIRMED_NA, ACK, CONFIRMED",
        "CONFIRMED_NA, BYE, ENDED",
        "CONFIRMED_NA, REQUEST_WITHIN, CONFIRMED_NA",
        "CONFIRMED_NA, TIMEOUT, ENDED",
        "CONFIRMED_NA, LOCAL_END, ENDED",

        "CONFIRMED, PROVISIONAL, CONFIRMED",
        "CONFIRMED, SUCCESS, CONFIRMED",
        "CONFIRMED, FAILURE, CONFIRMED",
        "CONFIRMED, TRANSACTION_GONE, CONFIRMED",
        "CONFIRMED, ACK, CONFIRMED",
        "CONFIRMED, BYE, ENDED",
        "CONFIRMED, REQUEST_WITHIN, CONFIRMED",
        "CONFIRMED, TIMEOUT, ENDED",
        "CONFIRMED, LOCAL_END, ENDED",

        "ENDED, PROVISIONAL, ENDED",
        "ENDED, SUCCESS, ENDED",
        "ENDED, FAILURE, ENDED",
        "ENDED, TRANSACTION_GONE, ENDED",
        "ENDED, ACK, ENDED",
        "ENDED, BYE, ENDED",
        "ENDED, REQUEST_WITHIN, ENDED",
        "ENDED, TIMEOUT, ENDED",
        "ENDED, LOCAL_END, ENDED",
    })
    void next(DialogState state, DialogEvent event, DialogState expected) {
        assertEquals(expected, DialogTransitions.next(state, event));
    }

    /** Guards the table above against an enum constant added without a row. */
    @Test
    void tableAboveCoversEveryPair() {
        assertEquals(5, DialogState.values().length);
        assertEquals(9, DialogEvent.values().length);
        Set<DialogState> reached = new HashSet<>();
        for (DialogState s : DialogState.values()) {
            for (DialogEvent e : DialogEvent.values()) {
                reached.add(DialogTransitions.next(s, e));
            }
        }
        assertEquals(Set.of(DialogState.values()), reached);
    }

    @Test
    void onlyAnsweredStatesAreActive() {
        for (DialogState s : DialogState.values()) {
            assertEquals(s == DialogState.CONFIRMED_NA || s == DialogState.CONFIRMED, s.isActive(), s.name());
        }
        assertTrue(DialogState.CONFIRMED.isActive());
    }
}
