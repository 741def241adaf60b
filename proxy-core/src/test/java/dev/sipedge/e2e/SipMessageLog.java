package dev.sipedge.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The messages in a SIPp {@code -trace_msg} file: each entry starts with a dashed line and a
 * "UDP|TCP message sent|received" line, then the message. Only the start line and the headers
 * are kept; compact header names are expanded (RFC 3261 7.3.3) and comma-separated Via values
 * split, so tests can look at the Via stack and the Route set.
 */
final class SipMessageLog {

    /** One logged message. Header names are lower case, values in order of appearance. */
    record Entry(boolean sent, String startLine, Map<String, List<String>> headers) {

        boolean isRequest(String method) {
            return startLine.startsWith(method + " ");
        }

        String requestUri() {
            String[] parts = startLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        List<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private SipMessageLog() {
    }

    static List<Entry> parse(String log) {
        List<Entry> entries = new ArrayList<>();
        for (String chunk : log.split("(?m)^-{20,}[^\\n]*\\n")) {
            List<String> lines = chunk.lines().toList();
            if (lines.size() < 3 || !lines.get(0).contains(" message ")) {
                continue;
            }
            boolean sent = lines.get(0).contains(" sent");
            int i = 1;
            while (i < lines.size() && lines.get(i).isBlank()) {
                i++;
            }
            if (i >= lines.size()) {
                continue;
            }
            String startLine = lines.get(i++).trim();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (; i < lines.size() && !lines.get(i).isBlank(); i++) {
                String line = lines.get(i);
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = expand(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
                String value = line.substring(colon + 1).trim();
                List<String> values = headers.computeIfAbsent(name, n -> new ArrayList<>());
                if (name.equals("via")) {
                    for (String via : value.split(",")) {
                        values.add(via.trim());
                    }
                } else {
                    values.add(value);
                }
            }
            entries.add(new Entry(sent, startLine, headers));
        }
        return entries;
    }

    private static String expand(String name) {
        return switch (name) {
            case "v" -> "via";
            case "f" -> "from";
            case "t" -> "to";
            case "i" -> "call-id";
            case "m" -> "contact";
            case "l" -> "content-length";
            case "c" -> "content-type";
            default -> name;
        };
    }
}
