/**
 * The {@code pki} command line: {@link dev.drawbridge.keystores.cli.PkiCommand} and its subcommands, thin picocli
 * shells over {@link dev.drawbridge.keystores.CaDirectory} and friends. Commands return exit codes and never call
 * {@code System.exit}; secrets are read from an environment variable, a file or the terminal, never from arguments.
 */
@NullMarked
package dev.drawbridge.keystores.cli;

import org.jspecify.annotations.NullMarked;
