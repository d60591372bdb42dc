package dev.borges.protocol.generator.spec;

/**
 * An inclusive range of message versions, as the schemas write it: {@code "3"}, {@code "1-4"},
 * {@code "2+"} (open-ended up to {@link Short#MAX_VALUE}) or {@code "none"} (empty).
 */
public record Versions(short lowest, short highest) {
    public static final Versions NONE = new Versions((short) 0, (short) -1);
    public static final Versions ALL = new Versions((short) 0, Short.MAX_VALUE);

    public static Versions parse(String text, Versions whenAbsent) {
        if (text == null) {
            return whenAbsent;
        }
        String trimmed = text.trim();
        if (trimmed.equals("none")) {
            return NONE;
        }
        try {
            if (trimmed.endsWith("+")) {
                return new Versions(Short.parseShort(trimmed.substring(0, trimmed.length() - 1)), Short.MAX_VALUE);
            }
            int dash = trimmed.indexOf('-');
            if (dash > 0) {
                return new Versions(Short.parseShort(trimmed.substring(0, dash)), Short.parseShort(trimmed.substring(dash + 1)));
            }
            short single = Short.parseShort(trimmed);
            return new Versions(single, single);
        } catch (NumberFormatException e) {
            throw new SchemaException("Invalid version range '" + text + "'");
        }
    }

    public boolean isEmpty() {
        return highest < lowest;
    }

    public boolean contains(short version) {
        return version >= lowest && version <= highest;
    }

    /** True when every version of {@code other} is in this range. */
    public boolean containsAll(Versions other) {
        return other.isEmpty() || (other.lowest >= lowest && other.highest <= highest);
    }

    public Versions intersect(Versions other) {
        short low = (short) Math.max(lowest, other.lowest);
        short high = (short) Math.min(highest, other.highest);
        return high < low ? NONE : new Versions(low, high);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (highest == Short.MAX_VALUE) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
