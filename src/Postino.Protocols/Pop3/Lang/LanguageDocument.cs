using System.Text.Json.Serialization;

namespace Postino.Protocols.Pop3.Lang;

/// <summary>The shape of a Lang/TAG.json file.</summary>
internal sealed record LanguageDocument(
    [property: JsonPropertyName("tag")] string? Tag,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("texts")] Dictionary<string, string>? Texts);

[JsonSerializable(typeof(LanguageDocument))]
internal sealed partial class LanguageJsonContext : JsonSerializerContext;
