package dev.sipedge.dialog.store;

import dev.sipedge.dialog.DialogRecord;
import dev.sipedge.dialog.DialogRecord.ProfileSlot;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.LegRecord;
import dev.sipedge.dialog.PingMode;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random dialog records for the round-trip property: every field drawn, nulls where the record
 * allows them, and the awkward text a SIP message can carry (quotes, backslashes, CRLFs in SDP,
 * non-ASCII display data, IPv6 flows).
 */
final class RandomDialogs {
    private static final String[] AWKWARD = {"", "a\"b", "back\\slash", "tab\tand\r\nCRLF", "ünïcödé ☎", "{\"json\":1}",
        "%00", "';DROP TABLE sipedge_dialogs;--"};
    private final Random random;
    private int sequence;

    RandomDialogs(long seed) {
        this.random = new Random(seed);
    }

    DialogRecord next() {
        sequence++;
        DialogState state = random.nextBoolean() ? DialogState.CONFIRMED : pick(DialogState.values());
        Instant start = Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000_000));
        Instant answer = start.plusMillis(random.nextInt(60_000));
        Duration lifetime = Duration.ofMillis(1 + random.nextInt(43_200_000));
        Map<String, String> values = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            values.put("key" + i + text(), text());
        }
        Set<String> flags = new HashSet<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            flags.add("flag" + i + text());
        }
        List<ProfileSlot> profiles = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            profiles.add(new ProfileSlot("profile" + i, random.nextBoolean() ? null : text()));
        }
        return new DialogRecord("node-" + random.nextInt(5) + "." + Long.toString(sequence, 36),
                "call-" + sequence + "@" + text(), state, random.nextInt(Integer.MAX_VALUE), start, answer,
                answer.plus(lifetime), lifetime, random.nextBoolean(), pick(PingMode.values()), pick(PingMode.values()),
                leg(), leg(), values, flags, profiles);
    }

    private LegRecord leg() {
        List<String> routes = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            routes.add("sip:proxy" + i + ".example.com;lr;x=" + random.nextInt(100));
        }
        long cseqShift = random.nextInt(5);
        return new LegRecord("tag-" + random.nextInt(1_000_000) + text(), "sip:" + text().replace(' ', '_') + "@example.com",
                random.nextBoolean() ? null : "sip:ua@10.0.0." + random.nextInt(255) + ":5060;transport=tcp", routes,
                flow(), random.nextInt(Integer.MAX_VALUE), random.nextInt(Integer.MAX_VALUE), cseqShift,
                random.nextBoolean() ? -1 : random.nextInt(1000), cseqShift,
                random.nextBoolean() ? null : "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=" + text() + "\r\n", random.nextInt(4));
    }

    private Flow flow() {
        InetSocketAddress local = random.nextInt(4) == 0 ? null : new InetSocketAddress("127.0.0.1", 5060);
        InetSocketAddress remote = random.nextBoolean()
                ? new InetSocketAddress("192.0.2." + random.nextInt(255), 1024 + random.nextInt(60000))
                : new InetSocketAddress("2001:db8::" + Integer.toHexString(random.nextInt(65535)), 5060);
        return new Flow(pick(TransportKind.values()), local, remote);
    }

    private String text() {
        return AWKWARD[random.nextInt(AWKWARD.length)];
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }
}
