using System.Collections.Immutable;

namespace Berth.Api.Tests.Properties;

/// <summary>A field the contract defines: the param an error about it names, and the JSON type it must have.</summary>
internal sealed record Role(string Param, JsonKind Kind);

/// <summary>A node of a body: where it is and what the contract makes of it.</summary>
/// <remarks>
/// <c>Path</c> holds member or item indexes from the root. <c>Role</c> is the field the node is, or null
/// for something the server ignores. <c>Predictable</c> is false inside a defined field whose name is
/// duplicated or does not decode: the generator does not model which of two members the server reads.
/// <c>Parent</c> is the object the node is a member of, or null for array items and the root.
/// </remarks>
internal sealed record Located(ImmutableList<int> Path, JsonPiece Node, Role? Role, bool Predictable, Located? Parent)
{
    public bool IsIgnored => Role is null && Predictable;

    public JsonMember? Member => Parent?.Node is JsonObjectPiece obj ? obj.Members[Path[^1]] : null;
}

/// <summary>Walks and edits bodies, and knows which of their fields the environments contract defines.</summary>
internal static class JsonTree
{
    private static readonly Role Root = new("", JsonKind.Object);

    private static readonly Dictionary<string, Dictionary<string, JsonKind>> Objects = new()
    {
        [""] = new()
        {
            ["name"] = JsonKind.String,
            ["description"] = JsonKind.String,
            ["metadata"] = JsonKind.Object,
            ["config"] = JsonKind.Object,
        },
        ["config"] = new()
        {
            ["type"] = JsonKind.String,
            ["networking"] = JsonKind.Object,
            ["packages"] = JsonKind.Object,
            ["setup_script"] = JsonKind.String,
        },
        ["config.networking"] = new()
        {
            ["type"] = JsonKind.String,
            ["allowed_hosts"] = JsonKind.Array,
            ["allow_package_managers"] = JsonKind.Boolean,
            ["allow_mcp_servers"] = JsonKind.Boolean,
        },
        ["config.packages"] = new()
        {
            ["type"] = JsonKind.String,
            ["apt"] = JsonKind.Array,
            ["pip"] = JsonKind.Array,
            ["npm"] = JsonKind.Array,
        },
    };

    private static readonly HashSet<string> StringLists =
        ["config.networking.allowed_hosts", "config.packages.apt", "config.packages.pip", "config.packages.npm"];

    /// <summary>The names the contract defines in the object at <paramref name="param"/>.</summary>
    public static IReadOnlyCollection<string> KnownNames(string param) =>
        Objects.TryGetValue(param, out var members) ? members.Keys : [];

    public static List<Located> Walk(JsonPiece root)
    {
        var found = new List<Located>();
        Visit(new Located([], root, Root, Predictable: true, Parent: null), found);

        return found;
    }

    public static JsonPiece Replace(JsonPiece root, ImmutableList<int> path, Func<JsonPiece, JsonPiece> change) =>
        path.Count == 0 ? change(root) : root switch
        {
            JsonObjectPiece obj => obj with
            {
                Members = obj.Members.SetItem(path[0], obj.Members[path[0]] with
                {
                    Value = Replace(obj.Members[path[0]].Value, path.RemoveAt(0), change),
                }),
            },
            JsonArrayPiece array => array with
            {
                Items = array.Items.SetItem(path[0], Replace(array.Items[path[0]], path.RemoveAt(0), change)),
            },
            _ => throw new ArgumentException("The path leads through a value that has no children.", nameof(path)),
        };

    public static JsonPiece EditObject(JsonPiece root, Located obj, Func<JsonObjectPiece, JsonObjectPiece> change) =>
        Replace(root, obj.Path, node => change((JsonObjectPiece)node));

    private static void Visit(Located node, List<Located> found)
    {
        found.Add(node);
        switch (node.Node)
        {
            case JsonObjectPiece obj:
                var names = obj.Members.Where(m => m.Name is not null).CountBy(m => m.Name!).ToDictionary();
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    var member = obj.Members[i];
                    var role = ChildRole(node, member.Name);
                    var twin = member.Name is null || names[member.Name] > 1;

                    // Packages refuses the members it does not know instead of ignoring them.
                    var refused = role is null && node.Role?.Param == "config.packages";
                    var predictable = node.Predictable && !(twin && KnownParent(node)) && !refused;
                    Visit(new Located(node.Path.Add(i), member.Value, role, predictable, node), found);
                }

                break;
            case JsonArrayPiece array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    Visit(new Located(node.Path.Add(i), array.Items[i], ItemRole(node, i), node.Predictable, null), found);
                }

                break;
        }
    }

    private static bool KnownParent(Located node) =>
        node.Role is { Kind: JsonKind.Object } role && (role.Param == "metadata" || Objects.ContainsKey(role.Param));

    private static Role? ChildRole(Located parent, string? name)
    {
        if (name is null || parent.Role is not { Kind: JsonKind.Object } role || parent.Node is not JsonObjectPiece)
        {
            return null;
        }

        var param = role.Param.Length == 0 ? name : $"{role.Param}.{name}";
        if (role.Param == "metadata")
        {
            return new Role(param, JsonKind.String);
        }

        return Objects.TryGetValue(role.Param, out var members) && members.TryGetValue(name, out var kind)
            ? new Role(param, kind)
            : null;
    }

    private static Role? ItemRole(Located parent, int index) =>
        parent.Role is { Kind: JsonKind.Array } role && StringLists.Contains(role.Param)
            ? new Role($"{role.Param}[{index}]", JsonKind.String)
            : null;
}
