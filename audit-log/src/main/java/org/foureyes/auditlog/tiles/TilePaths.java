package org.foureyes.auditlog.tiles;

/**
 * The path encoding of C2SP tlog-tiles: {@code <L>/<N>[.p/<W>]} below {@code tile/}, with the index
 * in zero-padded groups of three digits, all but the last prefixed with {@code x}
 * ({@code 1234067} is {@code x001/x234/067}). Parsing accepts exactly the canonical form, so that
 * each resource has one name (no leading zeros, no {@code .p/256}, no {@code .p/0}).
 */
public final class TilePaths {
    private TilePaths() {
    }

    /** {@code 1234067} as {@code x001/x234/067}, {@code 5} as {@code 005}. */
    public static String encodeIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative tile index " + index);
        }
        String digits = Long.toString(index);
        int pad = (3 - digits.length() % 3) % 3;
        String padded = "0".repeat(pad) + digits;
        StringBuilder b = new StringBuilder(padded.length() + padded.length() / 3 * 2);
        for (int i = 0; i < padded.length(); i += 3) {
            if (i + 3 < padded.length()) {
                b.append('x').append(padded, i, i + 3).append('/');
            } else {
                b.append(padded, i, i + 3);
            }
        }
        return b.toString();
    }

    /**
     * The tile named by {@code path} (below the prefix, starting with {@code tile/}).
     *
     * @throws IllegalArgumentException with a reason if it is not a canonical tile path
     */
    public static TileId parse(String path) {
        if (!path.startsWith("tile/")) {
            throw new IllegalArgumentException("a tile path starts with tile/");
        }
        String[] parts = path.substring(5).split("/", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("a tile path is tile/<L>/<N>[.p/<W>]");
        }
        int level;
        if (parts[0].equals("entries")) {
            level = TileId.ENTRIES;
        } else {
            level = (int) decimal(parts[0], "level", 2);
            if (level > TileId.MAX_LEVEL) {
                throw new IllegalArgumentException("tile level " + level + " is above " + TileId.MAX_LEVEL);
            }
        }
        int end = parts.length;
        int width = TileId.FULL_WIDTH;
        String last = parts[end - 1];
        if (end >= 3 && parts[end - 2].endsWith(".p")) {
            width = (int) decimal(last, "width", 3);
            if (width < 1 || width > 255) {
                throw new IllegalArgumentException("a partial tile's width is 1 to 255, got " + width);
            }
            parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
            end--;
        }
        long index = 0;
        for (int i = 1; i < end; i++) {
            String g = parts[i];
            boolean lastGroup = i == end - 1;
            if (!lastGroup) {
                if (!g.startsWith("x")) {
                    throw new IllegalArgumentException("every index element but the last starts with x");
                }
                g = g.substring(1);
            }
            if (g.length() != 3 || !g.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("an index element is three digits, got \"" + g + "\"");
            }
            if (index > (Long.MAX_VALUE - 999) / 1000) {
                throw new IllegalArgumentException("tile index too large");
            }
            index = index * 1000 + Integer.parseInt(g);
        }
        if (end - 1 > 1 && parts[1].equals("x000")) {
            throw new IllegalArgumentException("the tile index has a leading x000 element");
        }
        return new TileId(level, index, width);
    }

    private static long decimal(String s, String what, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits || !s.chars().allMatch(c -> c >= '0' && c <= '9')
                || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new IllegalArgumentException("the tile " + what + " is a decimal without leading zeros, got \""
                    + s + "\"");
        }
        return Long.parseLong(s);
    }
}
