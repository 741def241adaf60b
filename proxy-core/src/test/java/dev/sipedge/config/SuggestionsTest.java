package dev.sipedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> DIALOG = List.of("match-mode", "rr-param", "node-id", "validate", "persistence");

    @Test
    void distanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        assertEquals(0, Suggestions.distance("dialog", "dialog"));
        assertEquals(1, Suggestions.distance("match-mod", "match-mode"));
        assertEquals(1, Suggestions.distance("dialgo", "dialog"), "a swap of neighbours is one edit");
        assertEquals(1, Suggestions.distance("methods", "method"));
        assertEquals(1, Suggestions.distance("Track", "trace"));
        assertEquals(3, Suggestions.distance("abc", ""));
    }

    @Test
    void suggestsOnlyWhenClose() {
        assertEquals(Optional.of("match-mode"), Suggestions.closest("match-mod", DIALOG));
        assertEquals(Optional.of("match-mode"), Suggestions.closest("matchmode", DIALOG));
        assertEquals(Optional.of("persistence"), Suggestions.closest("persistance", DIALOG));
        assertEquals(Optional.empty(), Suggestions.closest("mode", DIALOG), "four edits from match-mode");
        assertEquals(Optional.empty(), Suggestions.closest("timeout", DIALOG));
        assertEquals(Optional.empty(), Suggestions.closest("nod", List.of("node-id")), "short keys allow one edit");
    }
}
