using System.IO.Pipelines;
using Postino.Server.Tls;

namespace Postino.Server.Smtp;

/// <summary>STARTTLS with the server's certificates (the same ones POP3 uses for STLS and POP3S).</summary>
public sealed class TlsStartTlsUpgrade(TlsServerSettings settings) : IStartTlsUpgrade
{
    public bool IsAvailable => settings.IsAvailable;

    public async ValueTask<IDuplexPipe> UpgradeAsync(IDuplexPipe transport, CancellationToken cancellationToken) =>
        await StartTls.UpgradeAsync(transport, settings, cancellationToken);
}
