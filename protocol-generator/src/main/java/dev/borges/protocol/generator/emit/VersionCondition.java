package dev.borges.protocol.generator.emit;

import dev.borges.protocol.generator.spec.Versions;

/**
 * The Java condition "{@code version} is in range", simplified by what the enclosing code already
 * knows: inside a struct valid for versions 3-9, a field present in 0+ needs no check at all.
 */
final class VersionCondition {
    static final String ALWAYS = "true";
    static final String NEVER = "false";

    private VersionCondition() {
    }

    static String of(Versions range, Versions context) {
        Versions effective = range.intersect(context);
        if (effective.isEmpty()) {
            return NEVER;
        }
        boolean needLow = effective.lowest() > context.lowest();
        boolean needHigh = effective.highest() < context.highest();
        if (needLow && needHigh) {
            return effective.lowest() == effective.highest()
                ? "version == " + effective.lowest()
                : "version >= " + effective.lowest() + " && version <= " + effective.highest();
        }
        if (needLow) {
            return "version >= " + effective.lowest();
        }
        if (needHigh) {
            return "version <= " + effective.highest();
        }
        return ALWAYS;
    }
}
