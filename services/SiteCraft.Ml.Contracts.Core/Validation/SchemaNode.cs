using System.Text;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>A contract property prepared for the hot path: its name as UTF-8 and its children as nodes.</summary>
internal sealed class SchemaNode
{
    public SchemaNode(PropertySchema schema)
    {
        Schema = schema;
        Utf8Name = Encoding.UTF8.GetBytes(schema.Name);
        Children = schema.Properties.Select(p => new SchemaNode(p)).ToArray();
        Items = schema.Items is null ? null : new SchemaNode(schema.Items);
    }

    public PropertySchema Schema { get; }

    public byte[] Utf8Name { get; }

    public SchemaNode[] Children { get; }

    public SchemaNode? Items { get; }
}
