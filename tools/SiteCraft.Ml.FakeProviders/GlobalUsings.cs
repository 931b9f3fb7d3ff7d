global using System.Buffers;
global using System.IO.Pipelines;
global using System.Text;
global using System.Text.Json;
global using Microsoft.AspNetCore.Http;
