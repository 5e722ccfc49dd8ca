using System.Text;

namespace Postino.Fetch.Sasl;

/// <summary>LOGIN (draft-murchison-sasl-login): the server prompts for the user name, then the password.</summary>
public sealed class LoginSaslClient(string user, string password) : SaslClient
{
    private int _step;

    public override string Mechanism => "LOGIN";

    public override bool ServerVerified => _step >= 2;

    public override byte[]? InitialResponse() => null;

    public override byte[]? Respond(ReadOnlySpan<byte> challenge)
    {
        // The prompts' text ("Username:", "Password:") varies between servers; only their order is reliable.
        _step++;
        return _step switch
        {
            1 => Encoding.UTF8.GetBytes(user),
            2 => Encoding.UTF8.GetBytes(password),
            _ => null,
        };
    }
}
