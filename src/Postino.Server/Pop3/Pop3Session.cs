using System.Buffers;
using System.IO.Pipelines;
using Postino.Protocols.Pop3;
using Postino.Server.Hosting;
using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Pop3;

/// <summary>
/// One POP3 connection: its state, its maildrop once logged in, and the reply API its commands use. Replies are
/// buffered and flushed once per batch of input (PIPELINING), or when a long reply needs it.
/// </summary>
public sealed partial class Pop3Session
{
    /// <summary>Room for a formatted reply text on the stack (a 255-octet host name and the longest template fit).</summary>
    private const int MaxFormattedText = 512;

    private readonly BadCommandCounter _badCommands;

    public Pop3Session(Pop3SessionServices services, ClientConnection connection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connection);
        Services = services;
        Connection = connection;
        IsSecure = connection.IsSecure;
        Parser = new Pop3CommandParser(services.Options.MaxLineLength);
        _badCommands = new BadCommandCounter(services.Options.MaxBadCommands, services.Options.MaxBadCommandsBeforeLogin);
    }

    public Pop3SessionServices Services { get; }

    public ClientConnection Connection { get; }

    public Pop3States State { get; private set; } = Pop3States.Authorization;

    /// <summary>True once TLS protects the connection (implicit TLS, or set by the STLS command after its handshake).</summary>
    public bool IsSecure { get; set; }

    /// <summary>The reply language (LANG replaces it).</summary>
    public Pop3Texts Texts { get; set; } = Pop3Texts.English;

    /// <summary>The name given by USER, waiting for PASS.</summary>
    public string? PendingUser { get; set; }

    /// <summary>The logged-in user's canonical name; null before login.</summary>
    public string? User { get; private set; }

    /// <summary>The open maildrop in TRANSACTION; null before login.</summary>
    public IMaildrop? Maildrop { get; private set; }

    /// <summary>The greeting's APOP timestamp, or null when APOP is off.</summary>
    public string? ApopTimestamp { get; private set; }

    /// <summary>Per-session state of extensions (SASL exchange, UTF8 mode, ...), keyed by type.</summary>
    public Pop3SessionFeatures Features { get; } = new();

    public Pop3SessionStatistics Statistics { get; } = new();

    /// <summary>How the session ended (None while it runs).</summary>
    public Pop3SessionEnd End { get; private set; }

    /// <summary>Where replies go; multi-line replies write their lines here (see <see cref="Pop3ReplyWriter"/>).</summary>
    public IBufferWriter<byte> Output => Transport.Output;

    /// <summary>The current transport (replaced by a TLS upgrade).</summary>
    public IDuplexPipe Transport => _kernel?.Transport ?? throw new InvalidOperationException("the session is not running");

    internal Pop3CommandParser Parser { get; private set; }

    private bool IsClosing => End != Pop3SessionEnd.None;

    public void Ok(Pop3TextKey key, params object?[] args) =>
        Pop3ReplyWriter.WriteOk(Output, Texts.Format(key, args));

    /// <summary>
    /// +OK with a text of one or two arguments, formatted straight into the reply (no boxing, no argument array, no
    /// string): the replies of every session's hot path. A text that does not fit falls back to <see cref="Pop3Texts.Format"/>.
    /// </summary>
    public void Ok(Pop3TextKey key, Pop3TextArgument first, Pop3TextArgument second = default)
    {
        Span<char> text = stackalloc char[MaxFormattedText];
        if (Texts.TryFormat(key, text, out var length, first, second))
        {
            Pop3ReplyWriter.WriteOkText(Output, text[..length]);
        }
        else
        {
            Pop3ReplyWriter.WriteOk(Output, second.IsPresent ? Texts.Format(key, first.Boxed, second.Boxed) : Texts.Format(key, first.Boxed));
        }
    }

    /// <summary>+OK with protocol data rather than text (LANG's "tag text").</summary>
    public void OkData(string data) => Pop3ReplyWriter.WriteOk(Output, data);

    /// <summary>+OK with protocol data rather than text (STAT's "count size", LIST n's "msn size").</summary>
    public void OkData(long first, long second) => Pop3ReplyWriter.WriteOkNumbers(Output, first, second);

    /// <summary>+OK with protocol data rather than text (UIDL n's "msn uidl").</summary>
    public void OkData(long number, string text) => Pop3ReplyWriter.WriteOkNumberAndText(Output, number, text);

    /// <summary>-ERR that is not the client's fault (storage, lock): it does not count as a bad command.</summary>
    public void Error(Pop3TextKey key, params object?[] args) =>
        Pop3ReplyWriter.WriteErr(Output, Texts.Format(key, args));

    /// <inheritdoc cref="Error(Pop3TextKey, object?[])"/>
    public void Error(Pop3ResponseCode code, Pop3TextKey key, params object?[] args) =>
        Pop3ReplyWriter.WriteErr(Output, Texts.Format(key, args), code);

    /// <summary>-ERR for a bad command (syntax, state, failed login): it counts towards the bad-command limits.</summary>
    public void Reject(Pop3TextKey key, params object?[] args)
    {
        Pop3ReplyWriter.WriteErr(Output, Texts.Format(key, args));
        CountBadCommand();
    }

    /// <inheritdoc cref="Reject(Pop3TextKey, object?[])"/>
    public void Reject(Pop3ResponseCode code, Pop3TextKey key, params object?[] args)
    {
        Pop3ReplyWriter.WriteErr(Output, Texts.Format(key, args), code);
        CountBadCommand();
    }

    /// <summary>Ends the session after the current command's reply is flushed (QUIT).</summary>
    public void Close(Pop3SessionEnd end)
    {
        if (!IsClosing)
        {
            End = end;
        }
    }

    private void CountBadCommand() => _badCommands.Add(beforeLogin: State == Pop3States.Authorization);

    private bool TooManyBadCommands => _badCommands.LimitReached(beforeLogin: State == Pop3States.Authorization);
}
