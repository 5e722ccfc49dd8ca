using Postino.Protocols.Smtp;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Delivery;

/// <summary>
/// Maps a recipient address to a local user. A user may be named by the whole address (virtual users such as
/// <c>alice@example.org</c>) or by the local part alone (<c>alice</c>). A recipient detail (<c>alice+lists</c>, see
/// <see cref="DeliveryOptions.RecipientDelimiter"/>) is dropped when no user has the whole name.
/// </summary>
public sealed class RecipientResolver(IUserDirectory users, IEnumerable<string> localDomains, DeliveryOptions? options = null)
{
    private readonly char[] _delimiters = (options ?? new DeliveryOptions()).RecipientDelimiter.ToCharArray();

    private readonly HashSet<string> _localDomains = new(localDomains.Select(NormaliseDomain), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> LocalDomains => _localDomains;

    /// <summary>True when <paramref name="domain"/> is served here (the empty domain of <c>&lt;Postmaster&gt;</c> is).</summary>
    public bool IsLocalDomain(string domain) => domain.Length == 0 || _localDomains.Contains(NormaliseDomain(domain));

    /// <param name="requireLocalDomain">SMTP: refuse foreign domains (no relaying). LMTP: the MTA already routed
    /// the mail here, so any domain is looked up.</param>
    public async ValueTask<RecipientResolution> ResolveAsync(SmtpAddress address, bool requireLocalDomain, CancellationToken cancellationToken)
    {
        if (requireLocalDomain && !IsLocalDomain(address.Domain))
        {
            return RecipientResolution.Refuse(RecipientStatus.NotLocal);
        }

        try
        {
            foreach (var candidate in Candidates(address))
            {
                var user = await users.FindAsync(candidate, cancellationToken);
                if (user is not null)
                {
                    return RecipientResolution.Accept(user.Name);
                }
            }
        }
        catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException)
        {
            return RecipientResolution.Refuse(RecipientStatus.TemporaryFailure);
        }

        return RecipientResolution.Refuse(RecipientStatus.UnknownUser);
    }

    /// <summary>Looks a bare user name up (for <c>postino deliver USER</c>).</summary>
    public async ValueTask<RecipientResolution> ResolveUserAsync(string name, CancellationToken cancellationToken)
    {
        var at = name.LastIndexOf('@');
        if (at > 0 && at < name.Length - 1)
        {
            return await ResolveAsync(new SmtpAddress(name[..at], name[(at + 1)..]), requireLocalDomain: false, cancellationToken);
        }

        return await ResolveAsync(new SmtpAddress(name, string.Empty), requireLocalDomain: false, cancellationToken);
    }

    private IEnumerable<string> Candidates(SmtpAddress address)
    {
        // A user literally named "a+b" keeps its mail; only then is the detail dropped.
        foreach (var candidate in CandidatesFor(address.LocalPart, address.Domain))
        {
            yield return candidate;
        }

        var detail = _delimiters.Length == 0 || address.LocalPart.StartsWith('"') ? -1 : address.LocalPart.IndexOfAny(_delimiters);
        if (detail > 0)
        {
            foreach (var candidate in CandidatesFor(address.LocalPart[..detail], address.Domain))
            {
                yield return candidate;
            }
        }
    }

    private static IEnumerable<string> CandidatesFor(string local, string domain)
    {
        if (domain.Length > 0)
        {
            yield return $"{local}@{domain}";
        }

        yield return local;
        var lower = local.ToLowerInvariant();
        if (lower != local)
        {
            yield return lower;
        }
    }

    private static string NormaliseDomain(string domain) => domain.TrimEnd('.');
}
