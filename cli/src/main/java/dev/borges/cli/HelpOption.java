package dev.borges.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} for every command (a picocli mixin); only the root command has {@code --version}. */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;
}
