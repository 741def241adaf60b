package dev.sipedge.e2e;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one SIPp run left behind: its exit status (null when it had to be stopped), the last row
 * of its {@code -trace_stat} file, and its error and message logs.
 *
 * <p>SIPp exit statuses: 0 every call succeeded, 1 at least one failed, 97 stopped by a
 * command, 99 no call processed, 255/254 fatal or bind error.
 */
record SippResult(SippProcess.Role role, Integer exitStatus, Map<String, String> stats, Path dir) {

    static SippResult read(SippProcess.Role role, Integer exitStatus, Path dir) {
        return new SippResult(role, exitStatus, lastStatRow(dir.resolve("stat.csv")), dir);
    }

    long created() {
        return stat("TotalCallCreated");
    }

    long successful() {
        return stat("SuccessfulCall(C)");
    }

    long failed() {
        return stat("FailedCall(C)");
    }

    long retransmissions() {
        return stat("Retransmissions(C)");
    }

    /** A cumulative counter of the stat file, -1 when SIPp wrote none. */
    long stat(String column) {
        String value = stats.get(column);
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    String messages() {
        return Texts.read(dir.resolve("messages.log"));
    }

    /** One paragraph for assertion messages: status, counters, the end of the error log and screen. */
    String describe() {
        return "sipp " + role + " exit=" + (exitStatus == null ? "killed (bound reached)" : exitStatus)
                + " created=" + created() + " successful=" + successful() + " failed=" + failed()
                + " retransmissions=" + retransmissions() + " (" + dir + ")\n"
                + "--- " + role + " errors.log (tail):\n" + Texts.tail(dir.resolve("errors.log"), 25) + "\n"
                + "--- " + role + " screen (tail):\n" + Texts.tail(dir.resolve("screen.log"), 12);
    }

    private static Map<String, String> lastStatRow(Path csv) {
        List<String> lines = Texts.read(csv).lines().filter(l -> !l.isBlank()).toList();
        Map<String, String> row = new HashMap<>();
        if (lines.size() < 2) {
            return row;
        }
        String[] names = lines.get(0).split(";", -1);
        String[] values = lines.get(lines.size() - 1).split(";", -1);
        for (int i = 0; i < Math.min(names.length, values.length); i++) {
            row.put(names[i], values[i]);
        }
        return row;
    }
}
