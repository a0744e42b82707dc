package dev.drawbridge.keystores;

/** What writing a file does when the file already exists. */
public enum WriteMode {
    /** Fail with an error naming the file (the default everywhere: keys are never silently replaced). */
    CREATE_NEW,
    /** Replace it atomically: the new content is written to a temporary file beside it, then moved over it. */
    REPLACE
}
