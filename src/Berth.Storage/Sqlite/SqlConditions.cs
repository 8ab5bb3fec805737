using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>The WHERE conditions of a query built at run time, with the values they bind.</summary>
/// <remarks>The text is complete before a command is chosen, because commands are kept by their text.</remarks>
internal sealed class SqlConditions
{
    private readonly List<string> _conditions = [];
    private readonly List<(string Name, object? Value)> _values = [];

    public SqlConditions Add(string condition)
    {
        _conditions.Add(condition);

        return this;
    }

    public SqlConditions Add(string condition, string name, object? value)
    {
        _conditions.Add(condition);

        return Bind(name, value);
    }

    public SqlConditions Bind(string name, object? value)
    {
        _values.Add((name, value));

        return this;
    }

    public string Where => "WHERE " + string.Join(" AND ", _conditions);

    public SqliteCommand BindTo(SqliteCommand command)
    {
        foreach (var (name, value) in _values)
        {
            command.With(name, value);
        }

        return command;
    }
}
