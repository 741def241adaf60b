package dev.sipedge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
    private static Config parse(String text) {
        return ConfigFactory.parseString(text).resolve();
    }

    @Test
    void reportsChangedAddedAndRemovedLeavesByFullPath() {
        Config before = parse("sipedge { a = 1, b { c = x, d = y }, gone = 1, other = [1, 2] }");
        Config after = parse("sipedge { a = 1, b { c = x, d = z }, new = 2, other = [1, 3] }");

        assertEquals(List.of("sipedge.b.d", "sipedge.gone", "sipedge.new", "sipedge.other"),
                ConfigDiff.between(before, after));
    }

    @Test
    void theSameValuesFromAnotherFileAndLineAreNoChange() {
        Config before = parse("sipedge { routes = [ { next-hop = \"sip:a\" } ] }");
        Config after = parse("\n\n# moved\nsipedge {\n  routes = [\n { next-hop = \"sip:a\" } ] }");

        assertEquals(List.of(), ConfigDiff.between(before, after));
    }

    @Test
    void keysOutsideSipedgeAreIgnored() {
        assertEquals(List.of(), ConfigDiff.between(parse("akka { x = 1 }, sipedge { }"), parse("akka { x = 2 }, sipedge { }")));
    }

    @Test
    void aKeyWithADotIsQuoted() {
        assertEquals(List.of("sipedge.headers.\"x.tenant\""),
                ConfigDiff.between(parse("sipedge.headers { \"x.tenant\" = 1 }"), parse("sipedge.headers { \"x.tenant\" = 2 }")));
    }
}
