global using System.CommandLine;
