namespace Postino.Protocols.Sasl;

/// <summary>The mechanism names as they appear in CAPA's SASL line and in AUTH.</summary>
public static class SaslMechanismNames
{
    public const string Plain = "PLAIN";
    public const string Login = "LOGIN";
    public const string CramMd5 = "CRAM-MD5";
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string ScramSha256Plus = "SCRAM-SHA-256-PLUS";
}
