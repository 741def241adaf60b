package dev.sipedge.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "did you mean match-mode?": the known key closest to a misspelt one, when it is close. */
final class Suggestions {
    private Suggestions() {
    }

    /** The candidate nearest to {@code typed} by edit distance, if within a typo's reach (ties: the first in order). */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates.stream().sorted().toList()) {
            int d = distance(typed, candidate);
            if (d < bestDistance && d <= reach(candidate)) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** One edit for short keys, two from 8 characters, three from 16: more would suggest unrelated keys. */
    private static int reach(String candidate) {
        return candidate.length() >= 16 ? 3 : candidate.length() >= 8 ? 2 : 1;
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
     * neighbours ({@code dialgo} is one edit from {@code dialog}), case-insensitive.
     */
    static int distance(String a, String b) {
        String s = a.toLowerCase(Locale.ROOT);
        String t = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[s.length() + 1][t.length() + 1];
        for (int i = 0; i <= s.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= t.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && s.charAt(i - 1) == t.charAt(j - 2) && s.charAt(i - 2) == t.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[s.length()][t.length()];
    }
}
