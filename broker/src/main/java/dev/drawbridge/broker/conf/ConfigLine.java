package dev.drawbridge.broker.conf;

import java.util.List;

/**
 * One option line of a config file, already stripped of comments and surrounding whitespace.
 *
 * @param file the file as it was named (in the command line or by {@code include_dir}), for messages
 * @param number the line number, from 1
 * @param option the first word
 * @param value the rest of the line with surrounding whitespace removed; empty when there is none
 */
record ConfigLine(String file, int number, String option, String value) {

    /** {@code FILE:LINE}, the prefix of every problem and warning about this line. */
    String where() {
        return file + ":" + number;
    }

    /** The value as a message shows it: quoted, or {@code nothing}. */
    String found() {
        return value.isEmpty() ? "nothing" : "'" + value + "'";
    }

    /** The value split on whitespace. */
    List<String> words() {
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }
}
