package dev.borges.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code borges completion}: prints the bash completion script picocli generates from the command
 * tree, so completion always matches this version's commands and options. zsh runs it through its
 * bash compatibility layer.
 */
@Command(name = "completion",
    description = "Print a shell completion script for borges (bash and zsh).",
    footerHeading = "%nInstall:%n",
    footer = {
        "  bash:  source <(borges completion)                 (add it to ~/.bashrc to keep it)",
        "  zsh:   autoload -U +X bashcompinit && bashcompinit",
        "         source <(borges completion)                 (add both to ~/.zshrc)"})
public final class CompletionCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Override
    public void run() {
        String script = AutoComplete.bash("borges", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }
}
