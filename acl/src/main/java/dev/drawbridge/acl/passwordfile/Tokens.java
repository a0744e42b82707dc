package dev.drawbridge.acl.passwordfile;

import java.util.ArrayList;
import java.util.List;

/** The C string handling Mosquitto's password code relies on, so that odd files read the same way. */
final class Tokens {

    private Tokens() {}

    /** The pieces C's {@code strtok} returns: runs between delimiters, empty runs skipped. */
    static List<String> split(String text, char delimiter) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == delimiter) {
                if (i > start) {
                    parts.add(text.substring(start, i));
                }
                start = i + 1;
            }
        }
        return parts;
    }

    /** Removes leading and trailing ASCII white space (C's {@code isspace}: space, tab, LF, VT, FF, CR). */
    static String trimBlanks(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * C's {@code atoi} as glibc implements it ({@code (int) strtol(s, NULL, 10)}): leading white space, an optional sign,
     * then digits up to the first non-digit; 0 if there are none; saturating at the range of a 64-bit long, then cut to
     * 32 bits.
     */
    static int atoi(String text) {
        int i = 0;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long value = 0;
        boolean overflow = false;
        for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
            int digit = text.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                overflow = true;
            } else {
                value = value * 10 + digit;
            }
        }
        if (overflow) {
            value = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        } else if (negative) {
            value = -value;
        }
        return (int) value;
    }
}
