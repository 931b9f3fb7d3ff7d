namespace SiteCraft.Ml.Cli.Commands;

/// <summary>The --show option of the commands that list records: how many are listed in full, the rest only counted.</summary>
public static class ShowOption
{
    public const int Default = 20;

    public static Option<int> Create(string description)
    {
        var show = new Option<int>("--show") { Description = description, HelpName = "N", DefaultValueFactory = _ => Default };
        show.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--show must be 0 or more");
            }
        });
        return show;
    }
}
