using System.Diagnostics;
using Berth.Runtime.Docker;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.BaseImages;

/// <summary>
/// Makes sure the image that environment images are built from exists: the operator's
/// configured reference (pulled if missing), or a Debian image made once per machine with
/// mmdebstrap from this machine's apt sources and imported into Docker.
/// </summary>
internal sealed class BaseImageProvider(
    DockerImageOperations images,
    IOptions<RuntimeOptions> options,
    ILogger<BaseImageProvider> logger) : IDisposable
{
    private readonly RuntimeOptions _options = options.Value;
    private readonly BaseImageRecipe _recipe =
        new(options.Value.BaseSuite, HostCertificates.In(options.Value.HostCertificateDirectory));
    private readonly SemaphoreSlim _making = new(1, 1);

    public string Reference => _options.BaseImage ?? _recipe.Reference;

    public void Dispose() => _making.Dispose();

    /// <summary>
    /// Returns <see cref="ImageBuilt"/> or <see cref="ImageBuildFailed"/>; throws only when
    /// Docker does not answer.
    /// </summary>
    public async Task<ImageBuildResult> EnsureAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var existing = await images.InspectAsync(Reference, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return new ImageBuilt(Reference, existing.Id, CacheHit: true, clock.Elapsed);
        }

        return _options.BaseImage is null
            ? await MakeOnceAsync(log, clock, cancellationToken).ConfigureAwait(false)
            : await PullAsync(log, clock, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImageBuildResult> PullAsync(
        IBuildLog log, Stopwatch clock, CancellationToken cancellationToken)
    {
        logger.BaseImagePulling(Reference);
        log.Write(new BuildLogLine(BuildSteps.Base, $"Pulling base image {Reference}"));
        try
        {
            await images.PullAsync(Reference, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeOperationException e)
        {
            logger.BaseImageFailed(Reference, e.Message);
            return new ImageBuildFailed(BuildSteps.Base, null, e.Message, e.Message, clock.Elapsed);
        }

        var pulled = await images.InspectAsync(Reference, cancellationToken).ConfigureAwait(false);

        return new ImageBuilt(Reference, pulled?.Id ?? "", CacheHit: false, clock.Elapsed);
    }

    private async Task<ImageBuildResult> MakeOnceAsync(
        IBuildLog log, Stopwatch clock, CancellationToken cancellationToken)
    {
        // Builds waiting here all need the same image: the first makes it, the others find it.
        await _making.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var machineLock = await MachineWideLock
                .AcquireAsync($"berth-base-{_recipe.Hash}", cancellationToken).ConfigureAwait(false);
            var made = await images.InspectAsync(Reference, cancellationToken).ConfigureAwait(false);
            if (made is not null)
            {
                return new ImageBuilt(Reference, made.Id, CacheHit: true, clock.Elapsed);
            }

            return await MakeAsync(log, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _making.Release();
        }
    }

    private async Task<ImageBuildResult> MakeAsync(
        IBuildLog log, Stopwatch clock, CancellationToken cancellationToken)
    {
        logger.BaseImageMaking(Reference);
        log.Write(new BuildLogLine(BuildSteps.Base, $"Making base image {Reference} with mmdebstrap"));
        var workDirectory = Directory.CreateTempSubdirectory("berth-base-");
        try
        {
            var tar = Path.Combine(workDirectory.FullName, "rootfs.tar");
            var failure = await RunMmdebstrapAsync(tar, log, clock, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            var id = await ImportAsync(tar, log, cancellationToken).ConfigureAwait(false);
            logger.BaseImageMade(Reference, clock.ElapsedMilliseconds);

            return new ImageBuilt(Reference, id, CacheHit: false, clock.Elapsed);
        }
        catch (RuntimeOperationException e)
        {
            logger.BaseImageFailed(Reference, e.Message);
            return new ImageBuildFailed(BuildSteps.Base, null, e.Message, e.Message, clock.Elapsed);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private async Task<ImageBuildFailed?> RunMmdebstrapAsync(
        string tar, IBuildLog log, Stopwatch clock, CancellationToken cancellationToken)
    {
        var tail = new LogTail(_options.FailureLogTailLines);
        var arguments = MmdebstrapArguments(tar);

        var outcome = await ExternalProcess.RunAsync(_options.MmdebstrapPath, arguments, line =>
        {
            tail.Add(line);
            log.Write(new BuildLogLine(BuildSteps.Base, line));
        }, cancellationToken).ConfigureAwait(false);
        if (outcome.ExitCode == 0)
        {
            return null;
        }

        var message = outcome.StartProblem is null
            ? $"mmdebstrap failed with exit code {outcome.ExitCode} while making the base image."
            : $"{outcome.StartProblem}. Install mmdebstrap (scripts/ensure-docker.sh does) or set Runtime:BaseImage.";
        logger.BaseImageFailed(Reference, message);

        return new ImageBuildFailed(BuildSteps.Base, outcome.ExitCode, message, tail.ToString(), clock.Elapsed);
    }

    private List<string> MmdebstrapArguments(string tar)
    {
        var aptOptions = HostAptConfiguration.AcquireOptions(_options.AptConfigDirectory);
        var sources = HostAptConfiguration.SourcesFor(_options.AptConfigDirectory, _recipe.Suite);

        return [.. _recipe.MmdebstrapOptions(aptOptions), _recipe.Suite, tar, .. sources];
    }

    private async Task<string> ImportAsync(string tar, IBuildLog log, CancellationToken cancellationToken)
    {
        log.Write(new BuildLogLine(BuildSteps.Base, $"Importing {Reference} into Docker"));
        var file = File.OpenRead(tar);
        await using (file.ConfigureAwait(false))
        {
            var changes = _recipe.ImportChanges(_options.InstanceName);
            await images.ImportAsync(file, Reference, changes, cancellationToken).ConfigureAwait(false);
        }

        var imported = await images.InspectAsync(Reference, cancellationToken).ConfigureAwait(false);

        return imported?.Id
            ?? throw new RuntimeOperationException("import an image", $"{Reference} is missing after its import");
    }
}
