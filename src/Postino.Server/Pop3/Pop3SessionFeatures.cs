namespace Postino.Server.Pop3;

/// <summary>A small type-keyed bag for extensions' per-session state.</summary>
public sealed class Pop3SessionFeatures
{
    private readonly Dictionary<Type, object> _features = [];

    public T? Get<T>()
        where T : class =>
        _features.TryGetValue(typeof(T), out var value) ? (T)value : null;

    public void Set<T>(T? value)
        where T : class
    {
        if (value is null)
        {
            _features.Remove(typeof(T));
        }
        else
        {
            _features[typeof(T)] = value;
        }
    }
}
