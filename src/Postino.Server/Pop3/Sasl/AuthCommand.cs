using System.Buffers;
using System.Text;
using Postino.Protocols.Pop3;
using Postino.Protocols.Sasl;
using Postino.Server.Pop3.Commands;
using Postino.Server.Pop3.Tls;
using Postino.Server.Sasl;

namespace Postino.Server.Pop3.Sasl;

/// <summary>
/// AUTH (RFC 5034). Bare AUTH lists the mechanisms (what Outlook sends); "AUTH mech [initial]" runs the exchange: the
/// server's "+ base64" lines, the client's base64 lines read raw, "*" cancels, malformed base64 ends the exchange
/// with -ERR and the session stays in step. PLAIN and LOGIN only where plaintext logins are allowed.
/// </summary>
public sealed class AuthCommand(SaslAuthenticator sasl) : IPop3Command
{
    public string Verb => "AUTH";

    public Pop3States AllowedIn => Pop3States.Authorization;

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        var plaintext = session.Services.LoginPolicy.AllowsPlaintextLogin(session);
        var binding = Pop3SessionTls.Info(session)?.TlsServerEndPoint;
        var connection = Connection(session);
        if (command.Args.Count == 0)
        {
            Pop3ReplyWriter.WriteMultiLine(session.Output, session.Texts[Pop3TextKey.AuthMechanismList], connection.Available(plaintext, binding));
            return;
        }

        if (command.Args.Count > 2)
        {
            session.Reject(Pop3TextKey.ArgumentsTooMany);
            return;
        }

        var name = command.Args[0];
        var exchange = connection.Begin(name, plaintext, binding);
        if (exchange is null)
        {
            var refusedPlaintext = !plaintext && (name.Equals(SaslMechanismNames.Plain, StringComparison.OrdinalIgnoreCase)
                || name.Equals(SaslMechanismNames.Login, StringComparison.OrdinalIgnoreCase));
            if (refusedPlaintext)
            {
                session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.PlaintextLoginDisabled);
            }
            else
            {
                session.Reject(Pop3TextKey.AuthUnknownMechanism);
            }

            return;
        }

        var reply = await exchange.StartAsync(command.Args.Count == 2 ? command.Args[1] : null, cancellationToken);
        await AnswerAsync(session, connection, exchange, reply, cancellationToken);
    }

    private static async ValueTask AnswerAsync(
        Pop3Session session,
        SaslConnectionAuthenticator connection,
        SaslExchange exchange,
        SaslExchangeReply reply,
        CancellationToken cancellationToken)
    {
        if (reply is SaslExchangeReply.Continue challenge)
        {
            session.Output.Write("+ "u8);
            session.Output.Write(Encoding.ASCII.GetBytes(challenge.Base64));
            session.Output.Write("\r\n"u8);
            session.ExpectContinuation(async (s, line, token) =>
            {
                // An over-long line is not base64 we can use: the exchange ends like a malformed one.
                var next = line is { } bytes
                    ? await exchange.ContinueAsync(bytes, token)
                    : new SaslExchangeReply.Failed(SaslFailureReason.MalformedResponse, null);
                await AnswerAsync(s, connection, exchange, next, token);
            });
            return;
        }

        var result = await connection.CompleteAsync(exchange, reply, cancellationToken);
        switch (reply)
        {
            case SaslExchangeReply.Failed { Reason: SaslFailureReason.Cancelled }:
                session.Reject(Pop3TextKey.AuthCancelled);
                break;
            case SaslExchangeReply.Failed { Reason: SaslFailureReason.MalformedResponse or SaslFailureReason.ExchangeOver }:
                session.Reject(Pop3TextKey.AuthMalformed);
                break;
            case SaslExchangeReply.Failed { Reason: SaslFailureReason.ChannelBindingMismatch }:
                session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.AuthChannelBinding);
                break;
            case SaslExchangeReply.Failed { Reason: SaslFailureReason.AuthorizationDenied }:
                session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.AuthAuthorizationDenied);
                break;
            default:
                var user = reply is SaslExchangeReply.Succeeded succeeded ? succeeded.User : string.Empty;
                await LoginResults.ApplyAsync(session, result, user, cancellationToken, exchange.MechanismName);
                break;
        }
    }

    private SaslConnectionAuthenticator Connection(Pop3Session session)
    {
        var connection = session.Features.Get<SaslConnectionAuthenticator>();
        if (connection is null)
        {
            connection = sasl.ForConnection(session.Connection.RemoteAddress);
            session.Features.Set(connection);
        }

        return connection;
    }
}
