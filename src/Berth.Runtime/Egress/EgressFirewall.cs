using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Egress;

/// <summary>Installs and removes this instance's iptables chains and the hooks into them.</summary>
internal sealed class EgressFirewall(EgressOptions options, ILogger logger)
{
    // Another program (Docker, mostly) may hold the xtables lock for a moment.
    private const string WaitSeconds = "10";
    private const int MaxHookCopies = 16;

    /// <summary>Replaces the chains' rules and adds missing hooks; returns the problem, or null.</summary>
    public async Task<string?> InstallAsync(FirewallRules rules, CancellationToken cancellationToken)
    {
        // The chains are filled before any hook leads into them, so a sandbox never meets an empty one.
        var steps = new (bool IsIpv6, string Text)[]
        {
            (false, rules.Ipv4Filter()), (false, rules.Ipv4Nat()), (true, rules.Ipv6Filter()),
        };
        foreach (var (isIpv6, text) in steps)
        {
            var restore = await FirewallProgram.RunAsync(
                Restore(isIpv6), ["--noflush", "--wait", WaitSeconds], text, cancellationToken).ConfigureAwait(false);
            if (!restore.Succeeded)
            {
                return $"{Restore(isIpv6)} failed: {restore.Output}";
            }
        }

        await EnsureChainAsync(false, "filter", "DOCKER-USER", cancellationToken).ConfigureAwait(false);
        foreach (var hook in rules.Hooks)
        {
            var problem = await EnsureHookAsync(hook, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }
        }

        logger.FirewallInstalled(string.Join(", ", rules.Chains.Select(c => c.Chain).Distinct()));

        return null;
    }

    /// <summary>Removes the hooks, then the chains; what is already gone is left alone.</summary>
    public async Task RemoveAsync(FirewallRules rules, CancellationToken cancellationToken)
    {
        foreach (var hook in rules.Hooks)
        {
            for (var copy = 0; copy < MaxHookCopies; copy++)
            {
                var deleted = await RunAsync(hook.IsIpv6, ["-t", hook.Table, "-D", hook.Chain, .. hook.Rule],
                    cancellationToken).ConfigureAwait(false);
                if (!deleted.Succeeded)
                {
                    break;
                }
            }
        }

        foreach (var (isIpv6, table, chain) in rules.Chains)
        {
            await RunAsync(isIpv6, ["-t", table, "-F", chain], cancellationToken).ConfigureAwait(false);
        }

        foreach (var (isIpv6, table, chain) in rules.Chains)
        {
            await RunAsync(isIpv6, ["-t", table, "-X", chain], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> EnsureHookAsync(FirewallHook hook, CancellationToken cancellationToken)
    {
        var check = await RunAsync(hook.IsIpv6, ["-t", hook.Table, "-C", hook.Chain, .. hook.Rule], cancellationToken)
            .ConfigureAwait(false);
        if (check.Succeeded)
        {
            return null;
        }

        var insert = await RunAsync(hook.IsIpv6, ["-t", hook.Table, "-I", hook.Chain, "1", .. hook.Rule],
            cancellationToken).ConfigureAwait(false);

        return insert.Succeeded ? null : $"hooking {hook.Target} into {hook.Chain} failed: {insert.Output}";
    }

    // Docker makes DOCKER-USER and jumps to it first from FORWARD; should it not have yet, the
    // chain is made here and Docker will jump to it when it next sets up its rules.
    private async Task EnsureChainAsync(bool isIpv6, string table, string chain, CancellationToken cancellationToken)
    {
        var list = await RunAsync(isIpv6, ["-t", table, "-S", chain], cancellationToken).ConfigureAwait(false);
        if (!list.Succeeded)
        {
            await RunAsync(isIpv6, ["-t", table, "-N", chain], cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<FirewallCommandResult> RunAsync(
        bool isIpv6, string[] arguments, CancellationToken cancellationToken) =>
        FirewallProgram.RunAsync(
            isIpv6 ? options.Ip6tablesPath : options.IptablesPath, ["--wait", WaitSeconds, .. arguments], null,
            cancellationToken);

    private string Restore(bool isIpv6) => (isIpv6 ? options.Ip6tablesPath : options.IptablesPath) + "-restore";
}
