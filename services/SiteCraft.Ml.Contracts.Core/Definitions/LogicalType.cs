namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>The ODCS v3 logical types a contract property can have.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are ODCS's logicalType values.")]
public enum LogicalType
{
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Timestamp,
    Object,
    Array,
}
