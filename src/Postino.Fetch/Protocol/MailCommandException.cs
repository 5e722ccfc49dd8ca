namespace Postino.Fetch.Protocol;

/// <summary>
/// The server refused a command (POP3 <c>-ERR</c>, POP2 <c>-</c>). For POP3 the connection is still usable; POP2
/// servers close after every refusal, so a POP2 client is disconnected afterwards.
/// </summary>
public class MailCommandException : Exception
{
    public MailCommandException()
        : this(string.Empty, ResponseCode.None, string.Empty)
    {
    }

    public MailCommandException(string message)
        : this(message, ResponseCode.None, string.Empty)
    {
    }

    public MailCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        ServerText = string.Empty;
    }

    public MailCommandException(string command, ResponseCode code, string serverText)
        : base(FormatMessage(command, code, serverText))
    {
        Command = command;
        Code = code;
        ServerText = serverText;
    }

    /// <summary>The command verb that was refused (never its arguments, which may hold secrets).</summary>
    public string? Command { get; }

    /// <summary>The RFC 2449/3206 response code in brackets, or <see cref="ResponseCode.None"/>.</summary>
    public ResponseCode Code { get; }

    /// <summary>The human-readable text of the server's reply, response code removed.</summary>
    public string ServerText { get; }

    private static string FormatMessage(string command, ResponseCode code, string serverText)
    {
        var codeText = code == ResponseCode.None ? string.Empty : $" [{ResponseCodes.Format(code)}]";
        return $"{command} refused:{codeText} {serverText}".TrimEnd();
    }
}
