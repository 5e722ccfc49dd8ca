using Microsoft.Extensions.DependencyInjection;

namespace Postino.Server.Pop3.Lang;

/// <summary>Registers RFC 6856: the UTF8 and LANG commands and capabilities.</summary>
public static class Pop3InternationalExtensions
{
    public static IServiceCollection AddPop3International(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IPop3Command>(new Utf8Command());
        services.AddSingleton<IPop3Command>(new LangCommand());

        // "UTF8 USER": UTF-8 is accepted in USER and PASS as well.
        services.AddSingleton<IPop3Capability>(new Pop3Capability("UTF8", 92, _ => "UTF8 USER"));
        services.AddSingleton<IPop3Capability>(new Pop3Capability("LANG", 94));
        return services;
    }
}
