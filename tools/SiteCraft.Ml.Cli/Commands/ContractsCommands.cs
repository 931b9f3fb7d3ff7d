using SiteCraft.Ml.Cli.Validation;
using SiteCraft.Ml.Contracts.Data.Checks;

namespace SiteCraft.Ml.Cli.Commands;

/// <summary>The "contracts" command group: work with the data contracts, offline.</summary>
public static class ContractsCommands
{
    public static Command Create() => new("contracts", "Data contracts: check training records against them (offline) and the stored table against them.")
    {
        Validate(),
        Test(),
    };

    private static Command Test()
    {
        var contract = new ContractOptions();
        var database = new DatabaseOption();
        var command = new Command("test", "Check the stored table against its contract: row count, uniqueness, valid values, freshness against the SLA. Exit 0: pass or warn; 1: a check failed.");
        contract.AddTo(command);
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dataContract = await contract.LoadContractAsync(parse, cancellationToken);
            await using var dataSource = await database.OpenAsync(parse, cancellationToken);
            var report = await new ContractTableChecker(dataSource, TimeProvider.System).TestAsync(dataContract, cancellationToken);
            foreach (var check in report.Checks)
            {
                await Console.Out.WriteLineAsync($"{check.Result.ToString().ToLowerInvariant(),-4} {check.Name}: expected {check.Expected}, actual {check.Actual}. {check.Message}");
            }

            await Console.Out.WriteLineAsync($"{report.Contract}: {report.Result.ToString().ToLowerInvariant()} ({report.Checks.Count} checks)");
            return report.Result == CheckResult.Fail ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static Command Validate()
    {
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "A JSONL file: one JSON record per line (read as raw bytes, streamed).",
        };
        var contract = new ContractOptions();
        var format = new Option<ReportFormat>("--format")
        {
            Description = "text: FILE:LINE lines and a summary; json: one JSON document for CI.",
            HelpName = "text|json",
            DefaultValueFactory = _ => ReportFormat.Text,
            CustomParser = result =>
            {
                var value = result.Tokens[0].Value;
                switch (value.ToLowerInvariant())
                {
                    case "text":
                        return ReportFormat.Text;
                    case "json":
                        return ReportFormat.Json;
                    default:
                        result.AddError($"--format '{value}' is not one of: text, json");
                        return default;
                }
            },
        };
        var show = ShowOption.Create("Invalid records listed in full; the rest are only counted.");

        var command = new Command("validate", "Check every record of a JSONL file against a data contract. Exit 0: all valid; 1: violations found; 2: usage or configuration error.")
        {
            file,
            format,
            show,
        };
        contract.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = InputFile.Existing(parse.GetRequiredValue(file));
            var validator = await contract.LoadValidatorAsync(parse, cancellationToken);
            return await JsonlValidation.RunAsync(input, validator, parse.GetValue(format), parse.GetValue(show), cancellationToken);
        });
        return command;
    }
}
