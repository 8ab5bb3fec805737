using System.Text;
using Berth.Runtime.Sandboxes;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests.Sandboxes;

public sealed class FileTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const long Unlimited = long.MaxValue;

    [Theory]
    [InlineData(0)]
    [InlineData(17 * 1024)]
    [InlineData(18 * 1024)]
    [InlineData(1024 * 1024)]
    public async Task WriteThenRead_RoundTripsBytesWithMatchingSha256(long size)
    {
        using var timeout = Bounded.Quick();
        var path = $"/tmp/roundtrip/{Guid.NewGuid():N}/file-{size}.bin";
        using var content = new FileContent(size);

        var written = await sandbox.Runtime.WriteFileAsync(sandbox.SharedContainerId, path, content, Unlimited, timeout.Token);
        var read = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, path, timeout.Token);

        var file = Assert.IsType<FileReadResult.File>(read);
        await using var stream = file.Content;
        var (readSize, readSha256) = await FileContent.HashAsync(stream, timeout.Token);
        var expected = new FileReadResult.File(path, file.Content, size);
        Assert.Equal(new FileWriteResult.Written(path, size, FileContent.Sha256Of(size)), written);
        Assert.Equal(expected, file);
        Assert.Equal((size, FileContent.Sha256Of(size)), (readSize, readSha256));
    }

    [Fact]
    public async Task Write_ToRelativePath_LandsUnderWorkspaceWithParentsCreated()
    {
        using var timeout = Bounded.Quick();
        var relative = $"rel-{Guid.NewGuid():N}/deep/er/note.txt";

        var written = await WriteTextAsync(relative, "hello", timeout.Token);
        var cat = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            new ExecRequest(["cat", $"/workspace/{relative}"]), null, timeout.Token);

        Assert.Equal($"/workspace/{relative}", Assert.IsType<FileWriteResult.Written>(written).Path);
        Assert.Equal("hello", cat.Stdout);
    }

    [Fact]
    public async Task Write_OverExistingFile_ReplacesItAndKeepsItsMode()
    {
        using var timeout = Bounded.Quick();
        var path = $"/tmp/replace-{Guid.NewGuid():N}.sh";
        await WriteTextAsync(path, "echo old", timeout.Token);
        await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, new ExecRequest(["chmod", "755", path]), null, timeout.Token);

        await WriteTextAsync(path, "echo new", timeout.Token);
        var run = await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId, new ExecRequest([path]), null, timeout.Token);

        Assert.Equal("new\n", run.Stdout);
    }

    [Fact]
    public async Task Write_PastMaxBytes_ReturnsTooLargeAndLeavesFileAsItWas()
    {
        using var timeout = Bounded.Quick();
        var directory = $"/tmp/limit-{Guid.NewGuid():N}";
        var path = $"{directory}/kept.txt";
        await WriteTextAsync(path, "original", timeout.Token);
        using var content = new FileContent(1024 * 1024);

        var written = await sandbox.Runtime.WriteFileAsync(sandbox.SharedContainerId, path, content, 1000, timeout.Token);
        var read = await ReadTextAsync(path, timeout.Token);
        var listing = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, directory, timeout.Token);

        Assert.Equal(new FileWriteResult.TooLarge(path, 1000), written);
        Assert.Equal("original", read);
        Assert.Equal(["kept.txt"], Assert.IsType<FileReadResult.Directory>(listing).Entries.Select(e => e.Name));
    }

    [Fact]
    public async Task Write_OfExactlyMaxBytes_IsWritten()
    {
        using var timeout = Bounded.Quick();
        using var content = new FileContent(1000);

        var written = await sandbox.Runtime.WriteFileAsync(sandbox.SharedContainerId,
            $"/tmp/exact-{Guid.NewGuid():N}", content, 1000, timeout.Token);

        Assert.Equal(1000, Assert.IsType<FileWriteResult.Written>(written).Size);
    }

    [Fact]
    public async Task Write_OntoDirectory_FailsWithReason()
    {
        using var timeout = Bounded.Quick();

        var written = await WriteTextAsync("/tmp", "x", timeout.Token);

        var failed = Assert.IsType<FileWriteResult.Failed>(written);
        Assert.Contains("directory", failed.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Write_BelowAFile_FailsWithReason()
    {
        using var timeout = Bounded.Quick();
        var file = $"/tmp/plain-{Guid.NewGuid():N}";
        await WriteTextAsync(file, "x", timeout.Token);

        var written = await WriteTextAsync($"{file}/child.txt", "y", timeout.Token);

        Assert.NotEmpty(Assert.IsType<FileWriteResult.Failed>(written).Message);
    }

    [Fact]
    public async Task Write_OfLargeContentBelowAFile_FailsWithReason()
    {
        using var timeout = Bounded.Quick();
        var file = $"/tmp/plain-{Guid.NewGuid():N}";
        await WriteTextAsync(file, "x", timeout.Token);
        using var content = new FileContent(64 * 1024 * 1024);

        var written = await sandbox.Runtime.WriteFileAsync(sandbox.SharedContainerId, $"{file}/big.bin", content,
            Unlimited, timeout.Token);

        Assert.NotEmpty(Assert.IsType<FileWriteResult.Failed>(written).Message);
    }

    [Fact]
    public async Task Write_WhenContentStreamBreaks_ThrowsAndLeavesDirectoryAsItWas()
    {
        using var timeout = Bounded.Quick();
        var directory = $"/tmp/broken-{Guid.NewGuid():N}";
        await WriteTextAsync($"{directory}/kept.txt", "original", timeout.Token);
        using var content = new BreakingStream(new FileContent(8 * 1024 * 1024), breakAfter: 4 * 1024 * 1024);

        await Assert.ThrowsAsync<IOException>(() => sandbox.Runtime.WriteFileAsync(sandbox.SharedContainerId,
            $"{directory}/kept.txt", content, Unlimited, timeout.Token));
        var listing = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, directory, timeout.Token);
        var kept = await ReadTextAsync($"{directory}/kept.txt", timeout.Token);

        Assert.Equal(["kept.txt"], Assert.IsType<FileReadResult.Directory>(listing).Entries.Select(e => e.Name));
        Assert.Equal("original", kept);
    }

    [Fact]
    public async Task Read_OfDirectory_ListsEntriesWithTypesSizesAndTimes()
    {
        using var timeout = Bounded.Quick();
        var directory = $"/tmp/list-{Guid.NewGuid():N}";
        await WriteTextAsync($"{directory}/a.txt", "12345", timeout.Token);
        await WriteTextAsync($"{directory}/sub/b.txt", "", timeout.Token);
        await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            new ExecRequest(["ln", "-s", "a.txt", $"{directory}/link"]), null, timeout.Token);
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        var read = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, directory, timeout.Token);

        var listing = Assert.IsType<FileReadResult.Directory>(read);
        Assert.Equal(directory, listing.Path);
        Assert.Equal(
            [("a.txt", SandboxFileType.File, 5L), ("link", SandboxFileType.Symlink, 5L), ("sub", SandboxFileType.Directory, 4096L)],
            listing.Entries.Select(e => (e.Name, e.Type, e.Type == SandboxFileType.Directory ? 4096L : e.Size)));
        Assert.All(listing.Entries, e => Assert.InRange(e.ModifiedAt, before, DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [Fact]
    public async Task Read_OfSymlinkToFile_ReadsTheFile()
    {
        using var timeout = Bounded.Quick();
        var directory = $"/tmp/link-{Guid.NewGuid():N}";
        await WriteTextAsync($"{directory}/target.txt", "through the link", timeout.Token);
        await sandbox.Runtime.ExecAsync(sandbox.SharedContainerId,
            new ExecRequest(["ln", "-s", "target.txt", $"{directory}/link"]), null, timeout.Token);

        var text = await ReadTextAsync($"{directory}/link", timeout.Token);

        Assert.Equal("through the link", text);
    }

    [Fact]
    public async Task Read_OfMissingPath_ReturnsNotFound()
    {
        using var timeout = Bounded.Quick();

        var read = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, "no-such-file.txt", timeout.Token);

        Assert.Equal(new FileReadResult.NotFound("/workspace/no-such-file.txt"), read);
    }

    [Fact]
    public async Task Delete_OfFile_RemovesIt()
    {
        using var timeout = Bounded.Quick();
        var path = $"/tmp/delete-{Guid.NewGuid():N}.txt";
        await WriteTextAsync(path, "bye", timeout.Token);

        var deleted = await sandbox.Runtime.DeleteFileAsync(sandbox.SharedContainerId, path, timeout.Token);
        var read = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, path, timeout.Token);

        Assert.Equal(new FileDeleteResult.Deleted(path), deleted);
        Assert.IsType<FileReadResult.NotFound>(read);
    }

    [Fact]
    public async Task Delete_OfDirectory_RemovesItOnlyWhenEmpty()
    {
        using var timeout = Bounded.Quick();
        var directory = $"/tmp/rmdir-{Guid.NewGuid():N}";
        await WriteTextAsync($"{directory}/only.txt", "x", timeout.Token);

        var whileFull = await sandbox.Runtime.DeleteFileAsync(sandbox.SharedContainerId, directory, timeout.Token);
        await sandbox.Runtime.DeleteFileAsync(sandbox.SharedContainerId, $"{directory}/only.txt", timeout.Token);
        var whenEmpty = await sandbox.Runtime.DeleteFileAsync(sandbox.SharedContainerId, directory, timeout.Token);

        Assert.Equal(new FileDeleteResult.NotEmpty(directory), whileFull);
        Assert.Equal(new FileDeleteResult.Deleted(directory), whenEmpty);
    }

    [Fact]
    public async Task Delete_OfMissingPath_ReturnsNotFound()
    {
        using var timeout = Bounded.Quick();

        var deleted = await sandbox.Runtime.DeleteFileAsync(sandbox.SharedContainerId, "missing/thing", timeout.Token);

        Assert.Equal(new FileDeleteResult.NotFound("/workspace/missing/thing"), deleted);
    }

    private Task<FileWriteResult> WriteTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var content = new MemoryStream(Encoding.UTF8.GetBytes(text));

        return sandbox.Runtime.WriteFileAsync(sandbox.SharedContainerId, path, content, Unlimited, cancellationToken);
    }

    private async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        var read = await sandbox.Runtime.ReadFileAsync(sandbox.SharedContainerId, path, cancellationToken);
        await using var content = Assert.IsType<FileReadResult.File>(read).Content;
        using var reader = new StreamReader(content, Encoding.UTF8);

        return await reader.ReadToEndAsync(cancellationToken);
    }
}
