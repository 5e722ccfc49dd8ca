using Postino.Server.Hosting;

namespace Postino.Server.Pop3;

/// <summary>Adds POP3 to a server.</summary>
public static class Pop3ServerBuilderExtensions
{
    /// <summary>Registers the POP3 services and the plain listener "pop3" at <see cref="Pop3Options.Listen"/> (unless "none").</summary>
    public static PostinoServerBuilder AddPop3(this PostinoServerBuilder builder, Pop3Options options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddPop3(options);
        return builder.AddListener<Pop3ConnectionHandler>("pop3", options.Listen);
    }
}
