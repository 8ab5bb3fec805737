using Docker.DotNet.Models;

namespace Berth.Runtime.Docker;

/// <summary>Images in the Docker engine: inspect, import, pull, commit, list, remove.</summary>
internal sealed class DockerImageOperations(DockerConnection connection)
{
    public async Task<ImageDetails?> InspectAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            var image = await DockerCalls.RunAsync(connection, "inspect an image",
                client => client.Images.InspectImageAsync(reference, cancellationToken),
                cancellationToken).ConfigureAwait(false);

            return ToDetails(image);
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Imports a root file system tar as <paramref name="reference"/>.</summary>
    public async Task ImportAsync(
        Stream rootFileSystemTar, string reference, IReadOnlyList<string> changes,
        CancellationToken cancellationToken)
    {
        var (repository, tag) = ImageReference.Split(reference);
        var parameters = new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = repository,
            Tag = tag,
            Changes = changes.ToList(),
        };
        var progress = new JsonMessageErrors();

        await DockerCalls.RunAsync(connection, "import an image",
            client => client.Images.CreateImageAsync(
                parameters, rootFileSystemTar, null, progress, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        progress.ThrowIfFailed("import an image");
    }

    public async Task PullAsync(string reference, CancellationToken cancellationToken)
    {
        var (repository, tag) = ImageReference.Split(reference);
        var parameters = new ImagesCreateParameters { FromImage = repository, Tag = tag };
        var progress = new JsonMessageErrors();

        await DockerCalls.RunAsync(connection, "pull an image",
            client => client.Images.CreateImageAsync(parameters, null, progress, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        progress.ThrowIfFailed($"pull {reference}");
    }

    /// <summary>Commits a stopped container as <paramref name="reference"/>; returns the image id.</summary>
    public async Task<string> CommitAsync(
        string containerId, string reference, ImageConfig config, CancellationToken cancellationToken)
    {
        var (repository, tag) = ImageReference.Split(reference);
        var parameters = new CommitContainerChangesParameters
        {
            ContainerID = containerId,
            RepositoryName = repository,
            Tag = tag,
            Pause = false,
            Config = ToDockerConfig(config),
        };

        var response = await DockerCalls.RunAsync(connection, "commit a container",
            client => client.Images.CommitContainerChangesAsync(parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return response.ID;
    }

    public async Task<IReadOnlyList<ImageSummary>> ListAsync(
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var parameters = new ImagesListParameters { Filters = LabelFilters.From(labels) };

        var images = await DockerCalls.RunAsync(connection, "list images",
            client => client.Images.ListImagesAsync(parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        return images.Select(ToSummary).ToList();
    }

    /// <summary>Removes a tag, and the image when no other tag or container holds it.</summary>
    public async Task<ImageDeletion> RemoveAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await DockerCalls.RunAsync(connection, "remove an image",
                client => client.Images.DeleteImageAsync(
                    reference, new ImageDeleteParameters { Force = false }, cancellationToken),
                cancellationToken).ConfigureAwait(false);

            return ImageDeletion.Removed;
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsNotFound(e))
        {
            return ImageDeletion.NotFound;
        }
        catch (RuntimeOperationException e) when (DockerCalls.IsConflict(e))
        {
            return ImageDeletion.InUse;
        }
    }

    private static ImageDetails ToDetails(ImageInspectResponse image) => new(
        image.ID,
        image.Config?.Env?.ToList() ?? [],
        image.Config?.Entrypoint?.ToList(),
        image.Config?.Cmd?.ToList(),
        ToDictionary(image.Config?.Labels));

    private static ImageSummary ToSummary(ImagesListResponse image) => new(
        image.ID,
        image.RepoTags?.Where(t => t != "<none>:<none>").ToList() ?? [],
        ToDictionary(image.Labels),
        new DateTimeOffset(DateTime.SpecifyKind(image.Created, DateTimeKind.Utc)),
        image.Size);

    private static Config ToDockerConfig(ImageConfig config) => new()
    {
        Env = config.Env.ToList(),
        WorkingDir = config.WorkingDir,
        Entrypoint = config.Entrypoint?.ToList(),
        Cmd = config.Cmd.ToList(),
        Labels = config.Labels.ToDictionary(),
    };

    private static Dictionary<string, string> ToDictionary(IDictionary<string, string>? labels) =>
        labels is null ? [] : new Dictionary<string, string>(labels);
}
