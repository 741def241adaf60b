package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void bytesCompareLikeTheStringsTheyHold() {
        assertTrue(Text.same(Text.of("a-1234"), "a-1234"));
        assertFalse(Text.same(Text.of("a-1234"), "a-1235"));
        assertFalse(Text.same(Text.of("a-1234"), "a-123"));
        assertTrue(Text.same(Text.of("tag-é"), "tag-é"), "non-ASCII compares by its UTF-8 bytes");
        assertFalse(Text.same(Text.of("tag-é"), "tag-e"));
        assertFalse(Text.same(Text.of("tag-e"), "tag-é"));
        assertTrue(Text.same(null, null));
        assertFalse(Text.same(null, "x"));
        assertFalse(Text.same(Text.of("x"), null));
    }

    @Test
    void roundTrip() {
        assertEquals("sip:bob@127.0.0.1:5070;transport=tcp", Text.string(Text.of("sip:bob@127.0.0.1:5070;transport=tcp")));
        assertEquals("tag-é", Text.string(Text.of("tag-é")));
        assertNull(Text.string(null));
    }
}
