package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (State, Input) pair of every {@code next()}. The expected table lists only the state
 * changes, transcribed from RFC 3261 §17.1.1/§17.1.2/§17.2.1/§17.2.2 and RFC 6026 §7.1/§8.4;
 * every other pair must leave the state unchanged (an unexpected input is ignored).
 */
class TransitionTableTest {

    private static final Map<String, String> ICT = Map.ofEntries(
            Map.entry("CALLING PROVISIONAL", "PROCEEDING"),
            Map.entry("CALLING SUCCESS", "ACCEPTED"),
            Map.entry("CALLING FAILURE", "COMPLETED"),
            Map.entry("CALLING TIMER_B", "TERMINATED"),
            Map.entry("CALLING TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("CALLING ABANDON", "TERMINATED"),
            Map.entry("PROCEEDING SUCCESS", "ACCEPTED"),
            Map.entry("PROCEEDING FAILURE", "COMPLETED"),
            Map.entry("PROCEEDING TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("PROCEEDING ABANDON", "TERMINATED"),
            Map.entry("COMPLETED TIMER_D", "TERMINATED"),
            Map.entry("COMPLETED TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("ACCEPTED TIMER_M", "TERMINATED"));

    private static final Map<String, String> NICT = Map.ofEntries(
            Map.entry("TRYING PROVISIONAL", "PROCEEDING"),
            Map.entry("TRYING FINAL", "COMPLETED"),
            Map.entry("TRYING TIMER_F", "TERMINATED"),
            Map.entry("TRYING TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("TRYING ABANDON", "TERMINATED"),
            Map.entry("PROCEEDING FINAL", "COMPLETED"),
            Map.entry("PROCEEDING TIMER_F", "TERMINATED"),
            Map.entry("PROCEEDING TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("PROCEEDING ABANDON", "TERMINATED"),
            Map.entry("COMPLETED TIMER_K", "TERMINATED"));

    private static final Map<String, String> IST = Map.ofEntries(
            Map.entry("PROCEEDING SEND_2XX", "ACCEPTED"),
            Map.entry("PROCEEDING SEND_FAILURE", "COMPLETED"),
            Map.entry("PROCEEDING TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("COMPLETED ACK", "CONFIRMED"),
            Map.entry("COMPLETED TIMER_H", "TERMINATED"),
            Map.entry("COMPLETED TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("CONFIRMED TIMER_I", "TERMINATED"),
            Map.entry("ACCEPTED TIMER_L", "TERMINATED"),
            Map.entry("ACCEPTED TRANSPORT_ERROR", "TERMINATED"));

    private static final Map<String, String> NIST = Map.ofEntries(
            Map.entry("TRYING SEND_PROVISIONAL", "PROCEEDING"),
            Map.entry("TRYING SEND_FINAL", "COMPLETED"),
            Map.entry("TRYING TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("PROCEEDING SEND_FINAL", "COMPLETED"),
            Map.entry("PROCEEDING TRANSPORT_ERROR", "TERMINATED"),
            Map.entry("COMPLETED TIMER_J", "TERMINATED"),
            Map.entry("COMPLETED TRANSPORT_ERROR", "TERMINATED"));

    static Stream<Arguments> allPairs() {
        List<Arguments> out = new ArrayList<>();
        add(out, "ICT", InviteClientTransaction.State.values(), InviteClientTransaction.Input.values(), ICT,
                (s, i) -> InviteClientTransaction.next((InviteClientTransaction.State) s, (InviteClientTransaction.Input) i));
        add(out, "NICT", NonInviteClientTransaction.State.values(), NonInviteClientTransaction.Input.values(), NICT,
                (s, i) -> NonInviteClientTransaction.next((NonInviteClientTransaction.State) s, (NonInviteClientTransaction.Input) i));
        add(out, "IST", InviteServerTransaction.State.values(), InviteServerTransaction.Input.values(), IST,
                (s, i) -> InviteServerTransaction.next((InviteServerTransaction.State) s, (InviteServerTransaction.Input) i));
        add(out, "NIST", NonInviteServerTransaction.State.values(), NonInviteServerTransaction.Input.values(), NIST,
                (s, i) -> NonInviteServerTransaction.next((NonInviteServerTransaction.State) s, (NonInviteServerTransaction.Input) i));
        return out.stream();
    }

    private static void add(List<Arguments> out, String fsm, Enum<?>[] states, Enum<?>[] inputs,
            Map<String, String> changes, BiFunction<Enum<?>, Enum<?>, Enum<?>> next) {
        for (Enum<?> s : states) {
            for (Enum<?> i : inputs) {
                String expected = changes.getOrDefault(s.name() + " " + i.name(), s.name());
                out.add(Arguments.of(fsm, s, i, expected, next));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} --{2}--> {3}")
    @MethodSource("allPairs")
    void next(String fsm, Enum<?> state, Enum<?> input, String expected, BiFunction<Enum<?>, Enum<?>, Enum<?>> next) {
        assertEquals(expected, next.apply(state, input).name());
    }
}
