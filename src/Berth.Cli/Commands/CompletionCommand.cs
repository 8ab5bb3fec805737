using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth completion bash|zsh</c>: prints a script that asks berth itself for completions
/// through System.CommandLine's <c>[suggest:POSITION]</c> directive, so the script never goes
/// stale when commands change. Session and environment ids are completed from the server.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # bash completion for berth. Load it with: source <(berth completion bash)
        _berth_complete() {
            local line="${COMP_LINE:0:COMP_POINT}"
            local IFS=$'\n'
            local suggestions
            suggestions=$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)
            COMPREPLY=($(compgen -W "$suggestions" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -o nosort -F _berth_complete berth ./berth
        """;

    private const string Zsh = """
        #compdef berth
        # zsh completion for berth. Load it with: source <(berth completion zsh)
        _berth() {
            local line="${BUFFER[1,CURSOR]}"
            local -a suggestions
            suggestions=("${(@f)$(${words[1]} "[suggest:${#line}]" "$line" 2>/dev/null)}")
            suggestions=(${suggestions:#})
            if (( ${#suggestions} )); then
                compadd -a suggestions
            else
                _files
            fi
        }
        compdef _berth berth ./berth
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion",
            "Print a shell completion script. Load it with: source <(berth completion bash), or zsh.")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh : Bash);

            return ExitCodes.Success;
        });

        return command;
    }
}
