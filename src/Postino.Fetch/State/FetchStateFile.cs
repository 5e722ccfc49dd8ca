using System.Text.Json;
using System.Text.Json.Serialization;
using Postino.Fetch.Durability;
using Postino.Storage.Files;

namespace Postino.Fetch.State;

/// <summary>
/// The per-account state file: JSON, replaced atomically and durably on every save, guarded by an exclusive lock
/// file so two fetchers of the same account never interleave.
/// </summary>
public sealed class FetchStateFile : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly FileStream _lock;

    private FetchStateFile(string path, FileStream lockFile, FetchState state)
    {
        Path = path;
        _lock = lockFile;
        State = state;
    }

    public string Path { get; }

    public FetchState State { get; }

    /// <summary>Locks and loads the state (empty when the file does not exist yet).</summary>
    public static async Task<FetchStateFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        path = System.IO.Path.GetFullPath(path);
        PrivateFile.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(path + ".lock", PrivateFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileOptions.None));
        }
        catch (IOException exception)
        {
            throw new FetchStateException($"Another fetch of this account is running (state {path} is locked).", exception);
        }

        try
        {
            var state = new FetchState();
            if (File.Exists(path))
            {
                await using var stream = File.OpenRead(path);
                var document = await JsonSerializer.DeserializeAsync<StateDocument>(stream, JsonOptions, cancellationToken);
                state = new FetchState(document?.Messages ?? []);
            }

            return new FetchStateFile(path, lockFile, state);
        }
        catch (JsonException exception)
        {
            await lockFile.DisposeAsync();
            throw new FetchStateException($"The state file {path} is damaged; fix or remove it (removing it downloads everything again).", exception);
        }
        catch
        {
            await lockFile.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the state atomically (temporary file, fsync, rename, fsync of the directory).</summary>
    public Task SaveAsync(CancellationToken cancellationToken)
    {
        var document = new StateDocument { Version = 1, Messages = State.Entries.OrderBy(e => e.FirstDownloaded).ToList() };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        return DurableFiles.ReplaceAsync(Path, bytes, cancellationToken);
    }

    public ValueTask DisposeAsync() => _lock.DisposeAsync();

    private sealed class StateDocument
    {
        public int Version { get; init; }

        public List<FetchStateEntry> Messages { get; init; } = [];
    }
}
