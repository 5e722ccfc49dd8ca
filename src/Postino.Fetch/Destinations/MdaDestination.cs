using System.Diagnostics;
using Postino.Fetch.Durability;

namespace Postino.Fetch.Destinations;

/// <summary>
/// Pipes each message (LF line ends) into a delivery agent run as <c>/bin/sh -c COMMAND</c> (procmail, maildrop,
/// dovecot-lda ...). Exit 0 means delivered and durable (that is the MDA's promise); 75 (EX_TEMPFAIL) is a temporary
/// failure; anything else a permanent one. An MDA cannot be asked afterwards whether it delivered, so a crash between
/// its exit and the state update delivers that message again (at least once, never lost).
/// </summary>
public sealed class MdaDestination(string command) : IMessageDestination
{
    private const int TemporaryFailure = 75;

    public string Description => $"mda:{command}";

    public Task<IPendingDelivery> BeginAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IPendingDelivery>(new Pending(command));

    public Task<bool?> WasDeliveredAsync(string marker, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    private sealed class Pending(string command) : IPendingDelivery
    {
        private readonly SpoolFile _spool = SpoolFile.Create();
        private CrLfToLfStream? _content;

        public Stream Content => _content ??= new CrLfToLfStream(_spool.Stream);

        public async Task<string?> PrepareAsync(CancellationToken cancellationToken)
        {
            if (_content is not null)
            {
                await _content.CompleteAsync(cancellationToken);
            }

            await _spool.RewindAsync(cancellationToken);
            return null;
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            using var process = Process.Start(start) ?? throw new MessageDestinationException($"Cannot start MDA: {command}");
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            try
            {
                await _spool.Stream.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                await process.StandardInput.BaseStream.FlushAsync(cancellationToken);
            }
            catch (IOException)
            {
                // The MDA stopped reading early; its exit code says whether that was a failure.
            }
            finally
            {
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(cancellationToken);
            var errors = (await stderr).Trim();
            await stdout;
            if (process.ExitCode != 0)
            {
                var detail = errors.Length > 300 ? errors[..300] : errors;
                throw new MessageDestinationException(
                    $"MDA \"{command}\" exited with {process.ExitCode}{(detail.Length > 0 ? ": " + detail : string.Empty)}",
                    isTemporary: process.ExitCode == TemporaryFailure);
            }
        }

        public ValueTask DisposeAsync() => _spool.DisposeAsync();
    }
}
