package dev.sipedge.management;

import java.util.List;

/** {@code ?limit=&offset=} of a listing: {@code count} is every match, the page a slice of them. */
record Paging(int limit, int offset) {

    static Paging from(ApiRequest r) {
        return new Paging(number(r, "limit", Integer.MAX_VALUE), number(r, "offset", 0));
    }

    <T> List<T> page(List<T> all) {
        if (offset >= all.size()) {
            return List.of();
        }
        return all.subList(offset, (int) Math.min(all.size(), (long) offset + limit));
    }

    private static int number(ApiRequest r, String name, int absent) {
        return r.param(name).map(text -> {
            try {
                int n = Integer.parseInt(text);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ApiException.badRequest(name + " must be a whole number >= 0, got '" + text + "'");
        }).orElse(absent);
    }
}
