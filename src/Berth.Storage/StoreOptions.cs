namespace Berth.Storage;

/// <summary>Where the store keeps its data.</summary>
public sealed class StoreOptions
{
    /// <summary>The folder for the SQLite file and other local state; created when missing.</summary>
    public string DataDirectory { get; set; } = ".berth";

    /// <summary>
    /// Whether every commit waits for the disk. Without it a commit survives a killed server
    /// but not a power cut; with it, both, at the cost of one fsync per write.
    /// </summary>
    public bool SyncToDisk { get; set; }

    public string DatabasePath => Path.Combine(DataDirectory, "berth.db");
}
