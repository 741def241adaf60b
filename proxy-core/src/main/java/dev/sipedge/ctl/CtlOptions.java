package dev.sipedge.ctl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of sipedgectl split into global options ({@code --config}, {@code --url},
 * {@code --token}, {@code --json}), the command's own {@code --name value} options and its words.
 * Options may come anywhere; {@code --name=value} works too.
 */
record CtlOptions(Optional<String> config, Optional<String> url, Optional<String> token, boolean json,
                  Map<String, String> options, List<String> words) {

    private static final Set<String> WITH_VALUE = Set.of("config", "url", "token", "callid", "state", "reason");

    /** @throws UsageException for an unknown option or one without its value */
    static CtlOptions parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        List<String> words = new ArrayList<>();
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                opts.put("help", "");
            } else if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                if (!WITH_VALUE.contains(name)) {
                    throw new UsageException("unknown option " + a);
                }
                String value;
                if (eq >= 0) {
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException("option --" + name + " needs a value");
                }
                opts.put(name, value);
            } else {
                words.add(a);
            }
        }
        return new CtlOptions(Optional.ofNullable(opts.remove("config")), Optional.ofNullable(opts.remove("url")),
                Optional.ofNullable(opts.remove("token")), json, Map.copyOf(opts), List.copyOf(words));
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The command's options must all be among {@code allowed}. */
    void allowOnly(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String name : options.keySet()) {
            if (!ok.contains(name)) {
                throw new UsageException("option --" + name + " does not apply to '" + String.join(" ", words) + "'");
            }
        }
    }

    /** Thrown for a command line that does not make sense: exit status 2 with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
