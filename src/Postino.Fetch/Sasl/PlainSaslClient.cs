using System.Text;

namespace Postino.Fetch.Sasl;

/// <summary>PLAIN (RFC 4616): one message, empty authorization identity, user NUL password.</summary>
public sealed class PlainSaslClient(string user, string password) : SaslClient
{
    private bool _sent;

    public override string Mechanism => "PLAIN";

    public override bool ServerVerified => _sent;

    public override byte[]? InitialResponse()
    {
        _sent = true;
        return Encoding.UTF8.GetBytes($"\0{user}\0{password}");
    }

    public override byte[]? Respond(ReadOnlySpan<byte> challenge)
    {
        // An empty challenge asks for the initial response when the server did not take it on the AUTH line.
        if (!challenge.IsEmpty || _sent)
        {
            return null;
        }

        return InitialResponse();
    }
}
