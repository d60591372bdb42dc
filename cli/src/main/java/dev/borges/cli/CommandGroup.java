package dev.borges.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code borges topic}, {@code borges group}, ...): run on
 * its own, it prints its usage (the list of subcommands) to stderr and exits as a usage error.
 */
public abstract class CommandGroup implements Runnable {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        String example = spec.subcommands().keySet().stream().filter(name -> !name.equals("help")).findFirst().orElse("--help");
        throw new ParameterException(spec.commandLine(), "'" + spec.qualifiedName() + "' needs a subcommand, like '"
            + spec.qualifiedName() + " " + example + "'");
    }
}
